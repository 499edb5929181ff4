// An independent JWT implementation (jose) for the Rust interop test: reads a JSON request on stdin,
// writes a JSON answer on stdout.
//   {"op":"verify","token","key_hex","issuer","audience","now"} -> {"ok":true,"header","payload"} | {"ok":false,"error"}
//   {"op":"sign","claims","kid","key_hex","now"}                -> {"token"}
import { SignJWT, jwtVerify, decodeProtectedHeader } from "jose";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const key = Buffer.from(request.key_hex, "hex");

if (request.op === "verify") {
  try {
    const { payload } = await jwtVerify(request.token, key, {
      algorithms: ["HS256"],
      issuer: request.issuer,
      audience: request.audience,
      currentDate: new Date(request.now * 1000),
    });
    const header = decodeProtectedHeader(request.token);
    process.stdout.write(JSON.stringify({ ok: true, header, payload }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ ok: false, error: error.code ?? String(error) }));
  }
} else if (request.op === "sign") {
  const token = await new SignJWT(request.claims)
    .setProtectedHeader({ alg: "HS256", kid: request.kid })
    .setIssuedAt(request.now)
    .setExpirationTime(request.now + 3600)
    .sign(key);
  process.stdout.write(JSON.stringify({ token }));
} else {
  throw new Error(`unknown op ${request.op}`);
}
