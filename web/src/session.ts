/**
 * The signed-in account: who, what they may do, their data scope (with the region's name for the
 * header) and the CSRF token the API client sends. One reactive store for the whole app.
 */
import { computed, reactive } from 'vue';
import { get, post, setCsrfToken, ApiError } from './api/client.ts';
import type { Account, LoginAnswer, MeAnswer, Region } from './api/types.ts';

interface SessionState {
  account: Account | null;
  permissions: Set<string>;
  region: Region | null;
  /** True once we asked the server whether a session exists. */
  checked: boolean;
}

export const session = reactive<SessionState>({
  account: null,
  permissions: new Set(),
  region: null,
  checked: false,
});

export const signedIn = computed(() => session.account !== null);

export const can = (permission: string): boolean => session.permissions.has(permission);

function clear() {
  session.account = null;
  session.permissions = new Set();
  session.region = null;
  setCsrfToken(null);
}

async function loadRegion() {
  const code = session.account?.scope.regionCode;
  session.region = null;
  if (!code) return;
  try {
    session.region = await get<Region>(`/api/v1/regions/${code}`);
  } catch {
    // The header then shows the code alone.
  }
}

function accept(me: MeAnswer) {
  session.account = me.account;
  session.permissions = new Set(me.permissions);
  setCsrfToken(me.csrfToken);
}

/** Asks the server for the current session (cookie); false when there is none. */
export async function restore(): Promise<boolean> {
  try {
    accept(await get<MeAnswer>('/api/v1/auth/me'));
    await loadRegion();
    return true;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      clear();
      return false;
    }
    throw e;
  } finally {
    session.checked = true;
  }
}

export async function login(username: string, password: string): Promise<Account> {
  const answer = await post<LoginAnswer>('/api/v1/auth/login', { username, password });
  setCsrfToken(answer.csrfToken);
  await restore();
  return answer.account;
}

export async function logout(): Promise<void> {
  try {
    await post('/api/v1/auth/logout');
  } finally {
    clear();
  }
}

export async function changePassword(currentPassword: string, newPassword: string) {
  await post('/api/v1/auth/password', { currentPassword, newPassword });
  await restore();
}

/** Forget the account locally (the server said 401). */
export const expire = clear;
