// Entry point: mounts the app. Loaded as a module script from index.html
// (no inline script: the Content-Security-Policy forbids it).
import { render } from 'preact';
import { App } from './App';

render(<App />, document.getElementById('app')!);
