// The one way the app talks to dossierd: same-origin fetch with the bearer
// token held in memory by the session (never in a URL, a cookie or storage).
// Failures become ApiError carrying the problem+json document's code and
// detail, so views can say what went wrong and where.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export class ApiClient {
  // `token` is empty when the browser authenticates with a client certificate (mTLS).
  constructor(private readonly token: string) {}

  private headers(extra: Record<string, string> = {}): Headers {
    const h = new Headers(extra);
    if (this.token) h.set('Authorization', `Bearer ${this.token}`);
    return h;
  }

  private async send(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<Response> {
    const init: RequestInit = {
      method,
      headers: this.headers({ Accept: accept, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }),
      credentials: 'same-origin',
      cache: 'no-store',
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(path, init);
    if (!response.ok) throw await problemOf(response);
    return response;
  }

  async get(path: string): Promise<Json> {
    return (await this.send('GET', path)).json();
  }

  // Every item of a paged list (`member` of each page), following nextPageToken.
  async all(path: string, member: string): Promise<Json[]> {
    const out: Json[] = [];
    let token = '';
    do {
      const page = await this.get(`${path}?page_size=500${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
      out.push(...(page[member] ?? []));
      token = page.nextPageToken ?? '';
    } while (token);
    return out;
  }

  async text(path: string, accept = 'text/plain'): Promise<string> {
    return (await this.send('GET', path, undefined, accept)).text();
  }

  async blob(path: string): Promise<Blob> {
    return (await this.send('GET', path, undefined, '*/*')).blob();
  }

  async bytes(path: string): Promise<Uint8Array> {
    return new Uint8Array(await (await this.send('GET', path, undefined, '*/*')).arrayBuffer());
  }

  // Bytes with the response headers (an export's loss count travels in one).
  async download(path: string): Promise<{ bytes: Uint8Array; headers: Headers }> {
    const response = await this.send('GET', path, undefined, '*/*');
    return { bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
  }

  async post(path: string, body: unknown): Promise<Json> {
    return (await this.send('POST', path, body)).json();
  }

  // PUT of raw bytes (a blob upload named by its digest).
  async put(path: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const response = await fetch(path, {
      method: 'PUT',
      headers: this.headers({ 'Content-Type': contentType }),
      body: bytes as BufferSource,
      credentials: 'same-origin',
    });
    if (!response.ok) throw await problemOf(response);
  }
}

async function problemOf(response: Response): Promise<ApiError> {
  let code = `http-${response.status}`;
  let detail = `${response.status} ${response.statusText}`;
  try {
    const problem = await response.json();
    if (typeof problem.code === 'string') code = problem.code;
    if (typeof problem.detail === 'string') detail = problem.detail;
    else if (typeof problem.title === 'string') detail = problem.title;
  } catch {
    // Not a problem document: the status line says enough.
  }
  return new ApiError(response.status, code, detail);
}

// Path segments are always encoded: ids come from data the server returned.
export function path(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  let out = strings[0];
  values.forEach((v, i) => {
    out += encodeURIComponent(String(v)) + strings[i + 1];
  });
  return out;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return `${e.message} (${e.code})`;
  if (e instanceof Error) return e.message;
  return String(e);
}
