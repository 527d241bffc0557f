import { ledgerPublicKeyPem } from '~/ledger/tree.server'

// GET /.well-known/weinuan-ledger-key: the Ed25519 public key (SPKI PEM) that signs tree heads.
export async function loader() {
  return new Response(ledgerPublicKeyPem(), {
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' },
  })
}
