/** The small HTML pages of the onboarding flow. Every interpolated value is escaped. */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

const page = (title: string, head: string, body: string): string =>
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${head}<title>${escapeHtml(title)}</title>
</head>
<body>
${body}
</body>
</html>
`;

/** `GET /`: Zalo's domain verification reads one meta tag per verification code from the home page. */
export const sitePage = (verificationCodes: readonly string[]): string =>
  page(
    'vn-messaging-webhooks',
    verificationCodes.map((code) => `<meta name="zalo-platform-site-verification" content="${escapeHtml(code)}">\n`).join(''),
    '<p>eSMS and Zalo Official Account webhook receiver.</p>',
  );

/** The result page of the OA callback, for the person who just granted (or failed to grant) access. */
export const resultPage = (ok: boolean, message: string): string =>
  page(ok ? 'Zalo OA connected' : 'Zalo OA not connected', '', `<h1>${ok ? 'Connected' : 'Not connected'}</h1>\n<p>${escapeHtml(message)}</p>`);
