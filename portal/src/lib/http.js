// fetch() with the errors a user can be told about.

export class RequestError extends Error {
  constructor(url, status, message) {
    super(message || `HTTP ${status} for ${url}`);
    this.url = url;
    this.status = status;
  }
}

export async function fetchJson(url, options = {}) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, ...options });
  if (!response.ok) throw new RequestError(url, response.status);
  return response.json();
}
