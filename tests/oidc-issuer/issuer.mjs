// A real OpenID Connect issuer on loopback for the Microsoft.Identity.Web tests: oauth2-mock-server
// serves discovery and JWKS and signs RS256 tokens with a key it generates at start.
//
//   node issuer.mjs [discovery-prefix]
//
// Listens on a free 127.0.0.1 port, prints one JSON line {"issuer": "http://127.0.0.1:<port>"} and runs
// until its standard input closes, so it never outlives the test process that started it.
//
// discovery-prefix (e.g. /organizations/v2.0) is where the discovery document is served, below the
// issuer: Microsoft.Identity.Web derives its authority from AzureAd:Instance + AzureAd:TenantId + /v2.0,
// as it does for Entra ID, and reads <authority>/.well-known/openid-configuration.
//
// Tokens come from the server's own POST /token endpoint (grant_type=client_credentials, or authorization_code
// after a browser sign-in). The one addition: a form field `claims` holding a JSON object whose members are copied into the token before
// the server signs it, so a test can ask for the tid, oid, roles, aud, exp or iss it needs. A null
// member removes that claim.
import { OAuth2Server } from 'oauth2-mock-server';

const prefix = (process.argv[2] ?? '').replace(/\/+$/, '');
const server = new OAuth2Server(undefined, undefined, {
  endpoints: { wellKnownDocument: `${prefix}/.well-known/openid-configuration` },
});
await server.issuer.keys.generate('RS256');

// Browser sign-in (authorization code flow): a test first names the user the next person signs in as, by sending
// the same `claims` form field with `next_sign_in=1` to /token; the next /authorize keeps those claims with the code
// it issues, and they go into the tokens that code redeems.
let nextSignIn;
const claimsByCode = new Map();
server.service.on('beforeAuthorizeRedirect', (redirect) => {
  const code = redirect.url.searchParams.get('code');
  if (code && nextSignIn) claimsByCode.set(code, nextSignIn);
  nextSignIn = undefined;
});

server.service.on('beforeTokenSigning', (token, req) => {
  const code = typeof req.body?.code === 'string' ? req.body.code : undefined;
  const requested = typeof req.body?.claims === 'string' ? JSON.parse(req.body.claims)
    : (code && claimsByCode.get(code)) || {};
  if (req.body?.next_sign_in === '1') nextSignIn = requested;
  for (const [name, value] of Object.entries(requested)) {
    if (value === null) delete token.payload[name];
    else token.payload[name] = value;
  }
});

await server.start(0, '127.0.0.1');
// The library names the issuer "localhost"; name the address actually bound, so no client tries ::1.
server.issuer.url = `http://127.0.0.1:${server.address().port}`;
process.stdout.write(JSON.stringify({ issuer: server.issuer.url }) + '\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.on('SIGTERM', stop);
process.stdin.resume();
