/** A request's path without its query string (what Express called `req.path`): `/open311/v2/requests.json`. */
export function requestPath(req: { url: string }): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}
