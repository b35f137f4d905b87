"""Signing keys of the tokens the gateway issues: one active private key (EdDSA or ES256,
from configuration, or a dev key generated at startup when none is configured; `make run`
keeps one in DEV_DATA_DIR, see devrun.py), each published with its `kid` at
/.well-known/jwks.json; retired public keys stay accepted while tokens signed with them may
still be alive (rotation). Access tokens are explicitly typed `at+jwt` (RFC 9068, RFC 8725
section 3.11): a JWT of ours without that header type is refused."""

import json
from dataclasses import dataclass, field

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from jwt.algorithms import ECAlgorithm, OKPAlgorithm

from services.common import logs

ACCESS_TOKEN_TYPE = "at+jwt"


def generate_pem(algorithm: str = "EdDSA") -> str:
    key = ed25519.Ed25519PrivateKey.generate() if algorithm == "EdDSA" else ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _jwk(public_key, algorithm: str) -> dict:
    impl = OKPAlgorithm if algorithm == "EdDSA" else ECAlgorithm
    return json.loads(impl.to_jwk(public_key))


def thumbprint(jwk: dict) -> str:
    """RFC 7638 key thumbprint, used as the default kid."""
    import base64
    import hashlib
    members = {k: jwk[k] for k in sorted(jwk) if k in ("crv", "kty", "x", "y")}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":")).encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass
class KeyRing:
    algorithm: str
    kid: str
    private_key: object
    public_keys: dict[str, object] = field(default_factory=dict)   # kid -> public key

    @classmethod
    def from_settings(cls, settings) -> "KeyRing":
        alg = settings.jwt_algorithm
        pem = settings.jwt_private_key
        if not pem:
            pem = generate_pem(alg)
            logs.get("keys").warning("keys.dev_key_generated",
                                     note="JWT_PRIVATE_KEY is not set: tokens die with this process")
        private = serialization.load_pem_private_key(pem.encode(), password=None)
        kid = settings.jwt_key_id or thumbprint(_jwk(private.public_key(), alg))
        ring = cls(alg, kid, private, {kid: private.public_key()})
        for block in settings.jwt_previous_public_keys.split("-----END PUBLIC KEY-----"):
            if "BEGIN PUBLIC KEY" in block:
                public = serialization.load_pem_public_key((block.strip() + "\n-----END PUBLIC KEY-----\n").encode())
                ring.public_keys[thumbprint(_jwk(public, alg))] = public
        return ring

    def sign(self, claims: dict) -> str:
        return jwt.encode(claims, self.private_key, algorithm=self.algorithm,
                          headers={"kid": self.kid, "typ": ACCESS_TOKEN_TYPE})

    def verify(self, token: str, audience: str, issuer: str) -> dict:
        """Claims of a token signed by one of our keys; raises jwt.PyJWTError otherwise."""
        header = jwt.get_unverified_header(token)
        if header.get("typ") != ACCESS_TOKEN_TYPE:
            raise jwt.InvalidTokenError(f"header typ is {header.get('typ')!r}, not {ACCESS_TOKEN_TYPE!r}")
        kid = header.get("kid")
        key = self.public_keys.get(kid)
        if key is None:
            raise jwt.InvalidKeyError(f"unknown key id {kid!r}")
        return jwt.decode(token, key, algorithms=[self.algorithm], audience=audience, issuer=issuer,
                          options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"]})

    def jwks(self) -> dict:
        keys = []
        for kid, public in self.public_keys.items():
            keys.append(_jwk(public, self.algorithm) | {"kid": kid, "alg": self.algorithm, "use": "sig"})
        return {"keys": keys}
