/** The fake's stand-in for Zalo's OA permission page: which OA grants access, and an Allow button. */
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const consentPage = (query: URLSearchParams, defaultOaId: string): string => {
  const hidden = ['app_id', 'redirect_uri', 'code_challenge', 'state']
    .map((name) => `<input type="hidden" name="${name}" value="${escape(query.get(name) ?? '')}">`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fake Zalo: grant OA access</title></head>
<body>
<h1>Fake Zalo</h1>
<p>App <b>${escape(query.get('app_id') ?? '')}</b> asks to manage an Official Account. It will come back to ${escape(query.get('redirect_uri') ?? '')}.</p>
<form method="get" action="/v4/oa/permission/allow">
${hidden}
<label>OA id <input name="oa_id" value="${escape(query.get('oa_id') ?? defaultOaId)}"></label>
<button type="submit">Allow</button>
</form>
</body></html>
`;
};
