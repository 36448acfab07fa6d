// The shell: sign-in, then the views for the signed-in tenant's kind (a
// manufacturer's dossiers and submissions, a regulator's inbox), chosen by
// the URL.
import { useState } from 'preact/hooks';
import { Link, match, navigate, useLocation } from './router';
import { isRegulator, type Session } from './session';
import { AlertList } from './views/Alerts';
import { ChangePlanList, ChangePlanPage } from './views/ChangePlans';
import { Page } from './views/common';
import { DossierPage } from './views/Dossier';
import { DossierList, Inbox, SubmissionList, SubmissionPage } from './views/Lists';
import { ReviewPage } from './views/Review';
import { SignIn } from './views/SignIn';

function NotFound() {
  return (
    <Page title="Not found">
      <p>
        There is no such page. <Link href="/">Go to the start page</Link>.
      </p>
    </Page>
  );
}

function Routes(props: { session: Session; path: string; query: URLSearchParams }) {
  const { session, path, query } = props;
  const regulator = isRegulator(session.tenant);
  let m: Record<string, string> | null;
  if (path === '/' || path === '') return regulator ? <Inbox session={session} /> : <DossierList session={session} />;
  if (regulator && (m = match('/inbox/:s', path))) return <ReviewPage session={session} id={m.s} query={query} />;
  if (!regulator && path === '/dossiers') return <DossierList session={session} />;
  if (!regulator && (m = match('/dossiers/:d', path)))
    return <DossierPage key={m.d} session={session} dossier={m.d} query={query} />;
  if (!regulator && path === '/submissions') return <SubmissionList session={session} />;
  if (!regulator && (m = match('/submissions/:s', path)))
    return <SubmissionPage session={session} id={m.s} query={query} />;
  if (!regulator && path === '/change-plans') return <ChangePlanList session={session} />;
  if (!regulator && (m = match('/change-plans/:p', path)))
    return <ChangePlanPage key={m.p} session={session} plan={m.p} query={query} />;
  if (path === '/alerts') return <AlertList session={session} />;
  return <NotFound />;
}

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const { path, query } = useLocation();
  if (!session) return <SignIn onSignedIn={setSession} />;
  const regulator = isRegulator(session.tenant);
  const links: Array<[string, string, (p: string) => boolean]> = regulator
    ? [
        ['/', 'Inbox', (p) => p === '/' || p.startsWith('/inbox')],
        ['/alerts', 'Alerts', (p) => p.startsWith('/alerts')],
      ]
    : [
        ['/', 'Dossiers', (p) => p === '/' || p.startsWith('/dossiers')],
        ['/submissions', 'Submissions', (p) => p.startsWith('/submissions')],
        ['/change-plans', 'Change plans', (p) => p.startsWith('/change-plans')],
        ['/alerts', 'Alerts', (p) => p.startsWith('/alerts')],
      ];
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href="/" class="brand">
          Dossier Exchange
        </Link>
        <nav aria-label="Main">
          <ul>
            {links.map(([href, label, active]) => (
              <li key={href}>
                <Link href={href} current={active(path)}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {session.tenant.displayName || session.tenant.id} · {session.tenant.kind.toLowerCase().replace('_', ' ')}
          </span>
          <button
            type="button"
            onClick={() => {
              setSession(null);
              navigate('/');
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main">
        <Routes session={session} path={path} query={query} />
      </main>
    </>
  );
}
