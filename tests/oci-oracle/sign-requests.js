// Requests signed by OCI's own TypeScript SDK (oci-common), sent to the fake OCI endpoint of
// MirrorTools' tests: a correct GET and POST must pass its signature check; a wrong key, a body
// header left unsigned and a body changed after signing must fail. Prints {case: HTTP status} as JSON.
// Usage: node sign-requests.js <base-url> <tenancy> <user> <fingerprint> <key.pem> <other-key.pem> <compartment>
"use strict";
const fs = require("fs");
const http = require("http");
const common = require("oci-common");

const [baseUrl, tenancy, user, fingerprint, keyFile, otherKeyFile, compartment] = process.argv.slice(2);

function signer(pemFile) {
  const provider = new common.SimpleAuthenticationDetailsProvider(
    tenancy, user, fingerprint, fs.readFileSync(pemFile, "utf8"), null, common.Region.US_ASHBURN_1);
  return new common.DefaultRequestSigner(provider);
}

function send(method, uri, headers, body) {
  return new Promise((resolve, reject) => {
    const flat = {};
    headers.forEach((value, name) => { flat[name] = value; });
    const request = http.request(uri, { method, headers: flat }, response => {
      response.resume();
      response.on("end", () => resolve(response.statusCode));
    });
    request.on("error", reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

async function signedCall(pemFile, method, path, body, { forceExcludeBody = false, sendBody = body } = {}) {
  const uri = baseUrl.replace(/\/$/, "") + path;
  const request = { method, uri, headers: new Headers(), body };
  if (body !== undefined) request.headers.set("content-type", "application/json");
  await signer(pemFile).signHttpRequest(request, forceExcludeBody);
  return send(method, uri, request.headers, sendBody);
}

(async () => {
  const listPath = `/20160918/vtaps?compartmentId=${encodeURIComponent(compartment)}&limit=5`;
  const filter = JSON.stringify({ compartmentId: compartment, filterType: "VTAP", displayName: "oracle",
    vtapCaptureFilterRules: [{ trafficDirection: "INGRESS", ruleAction: "INCLUDE" }] });
  const changed = filter.replace("oracle", "ORACLE");
  const results = {
    get: await signedCall(keyFile, "GET", listPath),
    post: await signedCall(keyFile, "POST", "/20160918/captureFilters", filter),
    wrongKey: await signedCall(otherKeyFile, "GET", listPath),
    unsignedBodyHeaders: await signedCall(keyFile, "POST", "/20160918/captureFilters", filter, { forceExcludeBody: true }),
    changedBody: await signedCall(keyFile, "POST", "/20160918/captureFilters", filter, { sendBody: changed }),
  };
  process.stdout.write(JSON.stringify(results));
})().catch(error => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
