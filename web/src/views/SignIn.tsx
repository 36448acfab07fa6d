// Sign-in: the tenant and a token (or, on a node serving HTTPS with client
// certificates, the certificate the browser presents). The token is checked
// by reading the tenant and is then held in memory only.
import { useState } from 'preact/hooks';
import { ApiClient, errorText, path } from '../api';
import type { Session, Tenant } from '../session';

export function SignIn(props: { onSignedIn: (s: Session) => void }) {
  const [tenant, setTenant] = useState('');
  const [token, setToken] = useState('');
  const [useCertificate, setUseCertificate] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    const id = tenant.trim();
    if (!/^[a-z0-9-]{1,64}$/.test(id)) {
      setError('The tenant id is 1–64 lowercase letters, digits or hyphens.');
      return;
    }
    if (!useCertificate && !token.trim()) {
      setError('Enter your access token, or sign in with your client certificate.');
      return;
    }
    setBusy(true);
    try {
      const api = new ApiClient(useCertificate ? '' : token.trim());
      const record: Tenant = await api.get(path`/v1/tenants/${id}`);
      setToken('');
      props.onSignedIn({ tenant: record, api });
    } catch (err) {
      setError(`Sign-in failed: ${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="signin">
      <form class="card signin-card" onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <h1 id="signin-title">Sign in to Dossier Exchange</h1>
        <p class="muted">
          Your token stays in this tab's memory: it is never stored, and closing or reloading the tab signs you out.
        </p>
        <label for="tenant">Tenant</label>
        <input
          id="tenant"
          name="tenant"
          autocomplete="organization"
          autocapitalize="none"
          spellcheck={false}
          value={tenant}
          onInput={(e) => setTenant((e.target as HTMLInputElement).value)}
          required
        />
        <label for="token">Access token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          value={token}
          disabled={useCertificate}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        />
        <label class="check">
          <input
            type="checkbox"
            checked={useCertificate}
            onChange={(e) => setUseCertificate((e.target as HTMLInputElement).checked)}
          />
          Use my client certificate instead (nodes set up for mutual TLS)
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
