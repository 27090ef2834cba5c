// A real OpenID provider for the tests: panva's certified `oidc-provider`, set up like
// ProConnect (code flow with PKCE, client_secret_post, acr eidas1, userinfo as a signed JWT,
// RP-initiated logout), with its own small sign-in page.
//
// Usage: node provider.mjs CONFIG.json — prints one JSON line {"issuer": ...} once listening
// on 127.0.0.1 (random port). The config names the client, the accounts and the private
// signing keys (the test owns them, to forge tokens the provider would never issue).
//
// Test hook: POST /__test__/next-token with {"mode": ...} spoils the next token response's
// ID token: "tamper" (payload changed, signature kept), "nonce" (another nonce, re-signed),
// "expired" (exp in the past, re-signed), "hs256" (re-signed with HS256 and the client
// secret: an algorithm the discovery document does not announce); and the next userinfo:
// "userinfo-json" (plain JSON, unsigned), "userinfo-sub" (another sub, re-signed).

import http from "node:http";
import { readFileSync } from "node:fs";
import { Provider } from "oidc-provider";
import { SignJWT, importJWK, decodeJwt, decodeProtectedHeader } from "jose";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const accounts = new Map(config.accounts.map((account) => [account.id, account]));
let spoil = null; // the mode for the next token response

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title, body) => `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString("utf8");
  const type = req.headers["content-type"] || "";
  return type.startsWith("application/json")
    ? JSON.parse(text)
    : Object.fromEntries(new URLSearchParams(text));
}

async function resign(claims, header) {
  const key = await importJWK(config.jwks.keys[0], "RS256");
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

async function spoiled(idToken, mode) {
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  if (mode === "tamper") {
    const [head, , signature] = idToken.split(".");
    const body = Buffer.from(JSON.stringify({ ...claims, sub: `${claims.sub}x` })).toString(
      "base64url",
    );
    return `${head}.${body}.${signature}`;
  }
  if (mode === "nonce") return resign({ ...claims, nonce: "not-the-one-sent" }, header);
  if (mode === "expired") {
    const past = Math.floor(Date.now() / 1000) - 3600;
    return resign({ ...claims, iat: past - 60, exp: past }, header);
  }
  if (mode === "hs256") {
    const secret = new TextEncoder().encode(config.client.client_secret);
    return new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(secret);
  }
  throw new Error(`unknown mode ${mode}`);
}

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        ...config.client,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
        id_token_signed_response_alg: "RS256",
        userinfo_signed_response_alg: "RS256",
      },
    ],
    jwks: config.jwks,
    acrValues: ["eidas1", "eidas2", "eidas3"],
    claims: {
      openid: ["sub"],
      email: ["email"],
      given_name: ["given_name"],
      usual_name: ["usual_name"],
      siret: ["siret"],
      uid: ["uid"],
      idp_id: ["idp_id"],
    },
    scopes: ["openid", "email", "given_name", "usual_name", "siret", "uid", "idp_id"],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      jwtUserinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page(
            "Se déconnecter du fournisseur de test ?",
            `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>`,
          );
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          const { email, given_name, usual_name, siret, uid } = account;
          return { sub: id, email, given_name, usual_name, siret, uid, idp_id: "fia-test" };
        },
      };
    },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600 },
  });

  provider.use(async (ctx, next) => {
    if (ctx.method === "POST" && ctx.path === "/__test__/next-token") {
      spoil = (await readForm(ctx.req)).mode;
      ctx.status = 204;
      return;
    }
    if (ctx.path.startsWith("/interaction/")) {
      await interaction(ctx);
      return;
    }
    await next();
    const userinfo = spoil?.startsWith("userinfo-");
    if (
      spoil &&
      !userinfo &&
      ctx.method === "POST" &&
      ctx.path === "/token" &&
      ctx.status === 200
    ) {
      const mode = spoil;
      spoil = null;
      ctx.body = { ...ctx.body, id_token: await spoiled(ctx.body.id_token, mode) };
    }
    if (userinfo && ctx.path === "/me" && ctx.status === 200) {
      const mode = spoil;
      spoil = null;
      const claims = decodeJwt(ctx.body);
      if (mode === "userinfo-json") {
        ctx.type = "application/json";
        ctx.body = claims;
      } else {
        ctx.body = await resign(
          { ...claims, sub: "someone-else" },
          decodeProtectedHeader(ctx.body),
        );
      }
    }
  });

  async function interaction(ctx) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const { prompt, params, session, grantId } = details;
    if (prompt.name === "consent") {
      const grant = grantId
        ? await provider.Grant.find(grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      if (prompt.details.missingOIDCScope) {
        grant.addOIDCScope(prompt.details.missingOIDCScope.join(" "));
      }
      if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
      const result = { consent: { grantId: await grant.save() } };
      ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result));
      return;
    }
    let error = "";
    if (ctx.method === "POST") {
      const email = String((await readForm(ctx.req)).email || "")
        .trim()
        .toLowerCase();
      const account = [...accounts.values()].find((a) => a.email === email);
      if (account) {
        const login = { accountId: account.id, acr: account.acr || "eidas1", amr: ["pwd"] };
        ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, { login }));
        return;
      }
      error = '<p role="alert">Adresse inconnue du fournisseur de test.</p>';
      ctx.status = 401;
    }
    ctx.type = "html";
    ctx.body = page(
      "Fournisseur d’identité de test",
      `${error}<form method="post" action="/interaction/${escape(details.uid)}">
        <label for="email">Adresse électronique</label>
        <input id="email" name="email" type="email" autocomplete="off" required>
        <button type="submit">Se connecter</button></form>`,
    );
  }

  server.on("request", provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
