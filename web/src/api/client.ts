/**
 * The one way the app talks to the API: JSON over fetch with the session cookie, the CSRF token
 * on every unsafe method, and the API's `{code, field, message: {zh, en}}` errors as ApiError.
 */
export interface Message {
  zh: string;
  en: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The request field the error is about, e.g. `bill.lines[0].amount`, or null. */
  readonly field: string | null;
  readonly messages: Message;

  constructor(status: number, code: string, field: string | null, messages: Message) {
    super(messages.en);
    this.status = status;
    this.code = code;
    this.field = field;
    this.messages = messages;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

/** Called when a request answers 401 (the session expired or was ended elsewhere). */
export const whenUnauthenticated = (fn: () => void) => {
  onUnauthenticated = fn;
};

const SAFE = new Set(['GET', 'HEAD']);

function headersFor(method: string, json: boolean): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json' };
  if (json) h['content-type'] = 'application/json';
  if (!SAFE.has(method) && csrfToken) h['x-csrf-token'] = csrfToken;
  return h;
}

async function errorOf(r: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await r.json();
  } catch {
    // not JSON (a proxy's error page): fall through to the generic message
  }
  const b = body as { code?: string; field?: string | null; message?: Message } | null;
  if (b && typeof b.code === 'string' && b.message) {
    return new ApiError(r.status, b.code, b.field ?? null, b.message);
  }
  return new ApiError(r.status, 'http.' + r.status, null, {
    zh: `请求失败（HTTP ${r.status}）`,
    en: `request failed (HTTP ${r.status})`,
  });
}

async function send(method: string, path: string, init: RequestInit): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(path, { ...init, method, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', null, {
      zh: '无法连接服务器，请检查网络',
      en: 'cannot reach the server',
    });
  }
  if (!r.ok) {
    const e = await errorOf(r);
    if (r.status === 401 && !path.endsWith('/auth/login')) onUnauthenticated?.();
    throw e;
  }
  return r;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await send(method, path, {
    headers: headersFor(method, body !== undefined),
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (r.status === 204) return undefined as T;
  return (await r.json()) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Downloads a file the API streams (export, template) and saves it under its given name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const r = await send('GET', path, { headers: { accept: '*/*' } });
  const blob = await r.blob();
  const cd = r.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  const name = m?.[1] ? decodeURIComponent(m[1]) : fallbackName;
  saveBlob(name, blob);
}

/** Saves a blob under a file name (the browser's download). */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves text as a file (a CSV template made in the browser). */
export function saveText(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  // The BOM lets Excel open a UTF-8 CSV with Chinese headers correctly.
  saveBlob(name, new Blob(['\ufeff', text], { type }));
}

/**
 * Uploads one file as multipart (field `file`), reporting upload progress (0–100); the promise
 * resolves with the JSON answer once the server has processed the file. Text `fields` (e.g. a
 * department list's department, kind and as-of date) go before the file: the API reads the
 * fields that precede it; empty ones are left out.
 */
export function upload<T>(
  path: string,
  file: File,
  onProgress: (pct: number) => void,
  fields: Record<string, string | undefined> = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () =>
      reject(new ApiError(0, 'network', null, { zh: '上传失败', en: 'upload failed' }));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      const b = body as { code?: string; field?: string | null; message?: Message } | null;
      if (xhr.status === 401) onUnauthenticated?.();
      reject(
        new ApiError(xhr.status, b?.code ?? `http.${xhr.status}`, b?.field ?? null, {
          zh: b?.message?.zh ?? `上传失败（HTTP ${xhr.status}）`,
          en: b?.message?.en ?? `upload failed (HTTP ${xhr.status})`,
        }),
      );
    };
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') form.append(k, v);
    form.append('file', file);
    xhr.send(form);
  });
}
