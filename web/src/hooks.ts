// Loading data for a view: one request (or a few) per set of dependencies,
// with its error kept as text for the view to show.
import { useEffect, useState } from 'preact/hooks';
import { errorText } from './api';

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ data: s.data, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (e) => live && setState({ error: errorText(e), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, generation]); // eslint-disable-line react-hooks/exhaustive-deps
  return { ...state, reload: () => setGeneration((g) => g + 1) };
}
