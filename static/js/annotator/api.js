// The REST API: JSON in and out, the CSRF token, errors in words.

export function csrfToken() {
  try {
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
  } catch (_) { /* fall through to the cookie */ }
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `The server answered ${status}.`);
    this.status = status;
    this.body = body || {};
  }
}

export async function api(method, url, body) {
  const options = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
  };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (_) {
    throw new ApiError(0, { message: "Could not reach the server. Check your connection; nothing was saved." });
  }
  if (response.status === 204) return null;
  let data = null;
  try { data = await response.json(); } catch (_) { data = null; }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export function describeError(error) {
  const fields = error.body && error.body.extra && error.body.extra.fields;
  if (fields) {
    const parts = Object.entries(fields).map(([name, msgs]) =>
      `${name}: ${Array.isArray(msgs) ? msgs.join(" ") : JSON.stringify(msgs)}`);
    return `${error.message} ${parts.join("; ")}`;
  }
  return error.message;
}
