// Who is signed in: the tenant (its kind decides which views the app offers)
// and the client that carries the token. Held only in the App component's
// state: a reload signs out, by design (the token is never persisted).
import { ApiClient } from './api';

export interface Tenant {
  id: string;
  displayName?: string;
  kind: 'MANUFACTURER' | 'REGULATOR' | 'NOTIFIED_BODY' | string;
  jurisdiction?: string;
}

export interface Session {
  tenant: Tenant;
  api: ApiClient;
}

export const isRegulator = (t: Tenant) => t.kind === 'REGULATOR' || t.kind === 'NOTIFIED_BODY';
