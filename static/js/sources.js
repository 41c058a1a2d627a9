// Where the watch page gets the URLs it plays: THE one place to change to switch the source of playback URLs.
// GET config.sources_url (the delivery feature's `/api/videos/{id}/playback`, which decides access) answers
// {master_url, poster_url, thumbnails_url, expires_at} with signed nginx links, or {error} with 401/403/404/409.
// Throws an Error carrying `.status` when the answer is not 2xx.
export async function fetchSources(config) {
  const response = await fetch(config.sources_url, {
    credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" },
  });
  if (!response.ok) {
    const reason = (await response.json().catch(() => ({}))).error;
    throw Object.assign(new Error(reason || `HTTP ${response.status}`), { status: response.status });
  }
  return response.json();
}
