// esbuild's text loader: the IMDRF ToC editions (schema/toc/*.tsv) as strings.
declare module '*.tsv' {
  const text: string;
  export default text;
}
