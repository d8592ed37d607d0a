//! HPKE (RFC 9180) in base mode with one fixed suite: DHKEM(P-256,
//! HKDF-SHA256), HKDF-SHA256 and AES-128-GCM, the suite every current
//! browser can also run with WebCrypto alone (the friend's page does).
//!
//! Each message is sealed on its own (single shot): a fresh ephemeral key,
//! sequence number 0. The `info` string is fixed ([`INFO`]); the caller binds
//! the check-in by passing its id as the associated data (`aad`), so a code
//! sealed for one check-in does not open as another.

use hpke::aead::AesGcm128;
use hpke::kdf::HkdfSha256;
use hpke::kem::DhP256HkdfSha256;
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use rand_core::{CryptoRng, OsRng, RngCore, UnwrapErr};
use zeroize::Zeroizing;

use crate::CheckinError;

type Kem = DhP256HkdfSha256;

/// The application string every check-in seals with (HPKE's `info`).
pub const INFO: &[u8] = b"mutual check-in v1";
/// An uncompressed SEC1 P-256 point: `04 || x || y`.
pub const PUBLIC_KEY_LEN: usize = 65;
/// A P-256 scalar, big-endian.
pub const SECRET_KEY_LEN: usize = 32;
/// The encapsulated key, an ephemeral public key.
pub const ENC_LEN: usize = 65;
/// What AES-128-GCM adds to a plaintext.
pub const TAG_LEN: usize = 16;

/// A P-256 public key that someone can seal to.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(<Kem as hpke::Kem>::PublicKey);

/// The secret half of a key pair. Its bytes are wiped when it is dropped,
/// and its `Debug` shows none of them.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(<Kem as hpke::Kem>::PrivateKey);

/// A key pair: one per check-in on my side (the friend seals answers to its
/// public half), one per check-in in the friend's browser (for the reveal).
#[derive(Clone, Debug)]
pub struct KeyPair {
    pub secret: SecretKey,
    pub public: PublicKey,
}

/// What sealing gives: the encapsulated key and the ciphertext (with its tag).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    pub enc: [u8; ENC_LEN],
    pub ciphertext: Vec<u8>,
}

impl KeyPair {
    /// A new random key pair from the operating system's generator.
    pub fn generate() -> KeyPair {
        KeyPair::from_rng(&mut UnwrapErr(OsRng))
    }

    /// The key pair RFC 9180's `DeriveKeyPair` gives for this input keying
    /// material (which should hold at least 32 random bytes).
    pub fn derive(ikm: &[u8]) -> KeyPair {
        let (secret, public) = Kem::derive_keypair(ikm);
        KeyPair {
            secret: SecretKey(secret),
            public: PublicKey(public),
        }
    }

    fn from_rng<R: CryptoRng + RngCore>(rng: &mut R) -> KeyPair {
        let (secret, public) = Kem::gen_keypair(rng);
        KeyPair {
            secret: SecretKey(secret),
            public: PublicKey(public),
        }
    }
}

impl PublicKey {
    /// Reads an uncompressed SEC1 point (65 bytes, starting with `04`).
    pub fn from_bytes(bytes: &[u8]) -> Result<PublicKey, CheckinError> {
        if bytes.len() != PUBLIC_KEY_LEN {
            return Err(CheckinError::Key {
                problem: format!("it has {} bytes", bytes.len()),
            });
        }
        <Kem as hpke::Kem>::PublicKey::from_bytes(bytes)
            .map(PublicKey)
            .map_err(|_| CheckinError::Key {
                problem: "it is not a point on the curve".into(),
            })
    }

    /// The uncompressed SEC1 point, as WebCrypto's `raw` format has it.
    pub fn to_bytes(&self) -> [u8; PUBLIC_KEY_LEN] {
        let mut out = [0; PUBLIC_KEY_LEN];
        out.copy_from_slice(&self.0.to_bytes());
        out
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bytes = self.to_bytes();
        write!(f, "PublicKey(")?;
        for b in &bytes[..9] {
            write!(f, "{b:02x}")?;
        }
        write!(f, "…)")
    }
}

impl SecretKey {
    /// Reads a big-endian P-256 scalar (32 bytes, not zero, below the order).
    pub fn from_bytes(bytes: &[u8]) -> Result<SecretKey, CheckinError> {
        if bytes.len() != SECRET_KEY_LEN {
            return Err(CheckinError::SecretKey);
        }
        <Kem as hpke::Kem>::PrivateKey::from_bytes(bytes)
            .map(SecretKey)
            .map_err(|_| CheckinError::SecretKey)
    }

    /// The scalar's bytes, wiped when the returned value is dropped.
    pub fn to_bytes(&self) -> Zeroizing<[u8; SECRET_KEY_LEN]> {
        let mut out = Zeroizing::new([0; SECRET_KEY_LEN]);
        out.copy_from_slice(&self.0.to_bytes());
        out
    }

    /// The public key that belongs to this secret.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(Kem::sk_to_pk(&self.0))
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(hidden)")
    }
}

/// Seals `plaintext` to `public`, binding `aad`.
pub fn seal(public: &PublicKey, aad: &[u8], plaintext: &[u8]) -> Result<Sealed, CheckinError> {
    seal_with(public, INFO, aad, plaintext, &mut UnwrapErr(OsRng))
}

/// Opens what [`seal`] made for the key pair of `secret`. Fails, without
/// saying more, when the key, the `enc`, the `aad` or any ciphertext byte is
/// not the one it was sealed with.
pub fn open(secret: &SecretKey, enc: &[u8], aad: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, CheckinError> {
    open_with(secret, INFO, enc, aad, ciphertext)
}

fn seal_with<R: CryptoRng + RngCore>(
    public: &PublicKey,
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
    rng: &mut R,
) -> Result<Sealed, CheckinError> {
    let (enc, ciphertext) = hpke::single_shot_seal::<AesGcm128, HkdfSha256, Kem, R>(
        &OpModeS::Base,
        &public.0,
        info,
        plaintext,
        aad,
        rng,
    )
    .map_err(|_| CheckinError::Seal)?;
    let mut out = [0; ENC_LEN];
    out.copy_from_slice(&enc.to_bytes());
    Ok(Sealed { enc: out, ciphertext })
}

fn open_with(
    secret: &SecretKey,
    info: &[u8],
    enc: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, CheckinError> {
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(enc).map_err(|_| CheckinError::Open)?;
    hpke::single_shot_open::<AesGcm128, HkdfSha256, Kem>(
        &OpModeR::Base,
        &secret.0,
        &enc,
        info,
        ciphertext,
        aad,
    )
    .map_err(|_| CheckinError::Open)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use hpke::aead::AeadCtxS;

    /// RFC 9180, Appendix A.3.1: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256,
    /// AES-128-GCM, base mode (the same values as the CFRG draft's
    /// test-vectors.json entry with mode 0, kem_id 16, kdf_id 1, aead_id 1).
    mod kat {
        pub(super) const INFO: &str = "4f6465206f6e2061204772656369616e2055726e";
        pub(super) const IKM_E: &str = "4270e54ffd08d79d5928020af4686d8f6b7d35dbe470265f1f5aa22816ce860e";
        pub(super) const IKM_R: &str = "668b37171f1072f3cf12ea8a236a45df23fc13b82af3609ad1e354f6ef817550";
        pub(super) const SK_EM: &str = "4995788ef4b9d6132b249ce59a77281493eb39af373d236a1fe415cb0c2d7beb";
        pub(super) const PK_EM: &str = "04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b325ac98536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bfcb9382657222d18c4";
        pub(super) const SK_RM: &str = "f3ce7fdae57e1a310d87f1ebbde6f328be0a99cdbcadf4d6589cf29de4b8ffd2";
        pub(super) const PK_RM: &str = "04fe8c19ce0905191ebc298a9245792531f26f0cece2460639e8bc39cb7f706a826a779b4cf969b8a0e539c7f62fb3d30ad6aa8f80e30f1d128aafd68a2ce72ea0";
        /// "Beauty is truth, truth beauty"
        pub(super) const PT: &str = "4265617574792069732074727574682c20747275746820626561757479";
        /// (aad, ciphertext) for sequence numbers 0, 1 and 2: aad is "Count-i".
        pub(super) const ENCRYPTIONS: [(&str, &str); 3] = [
            (
                "436f756e742d30",
                "5ad590bb8baa577f8619db35a36311226a896e7342a6d836d8b7bcd2f20b6c7f9076ac232e3ab2523f39513434",
            ),
            (
                "436f756e742d31",
                "fa6f037b47fc21826b610172ca9637e82d6e5801eb31cbd3748271affd4ecb06646e0329cbdf3c3cd655b28e82",
            ),
            (
                "436f756e742d32",
                "895cabfac50ce6c6eb02ffe6c048bf53b7f7be9a91fc559402cbc5b8dcaeb52b2ccc93e466c28fb55fed7a7fec",
            ),
        ];
        /// (exporter_context, exported_value), L = 32.
        pub(super) const EXPORTS: [(&str, &str); 3] = [
            (
                "",
                "5e9bc3d236e1911d95e65b576a8a86d478fb827e8bdfe77b741b289890490d4d",
            ),
            (
                "00",
                "6cff87658931bda83dc857e6353efe4987a201b849658d9b047aab4cf216e796",
            ),
            (
                "54657374436f6e74657874",
                "d8f1ea7942adbba7412c6d431c62d01371ea476b823eb697e1f6e6cae1dab85a",
            ),
        ];
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Hands out fixed bytes, so that the ephemeral key is the vector's.
    struct Fixed(Vec<u8>);

    impl RngCore for Fixed {
        fn next_u32(&mut self) -> u32 {
            unreachable!("only fill_bytes is used")
        }
        fn next_u64(&mut self) -> u64 {
            unreachable!("only fill_bytes is used")
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            assert_eq!(dest.len(), self.0.len(), "asked for as many bytes as ikmE has");
            dest.copy_from_slice(&self.0);
        }
    }
    impl CryptoRng for Fixed {}

    #[test]
    fn derive_key_pair_matches_the_rfc() {
        let r = KeyPair::derive(&hex(kat::IKM_R));
        assert_eq!(r.secret.to_bytes().to_vec(), hex(kat::SK_RM));
        assert_eq!(r.public.to_bytes().to_vec(), hex(kat::PK_RM));
        let e = KeyPair::derive(&hex(kat::IKM_E));
        assert_eq!(e.secret.to_bytes().to_vec(), hex(kat::SK_EM));
        assert_eq!(e.public.to_bytes().to_vec(), hex(kat::PK_EM));
        assert_eq!(r.secret.public_key(), r.public);
    }

    #[test]
    fn sealing_with_the_rfc_ephemeral_key_gives_its_enc_and_ciphertexts() {
        let recipient = PublicKey::from_bytes(&hex(kat::PK_RM)).unwrap();
        let mut rng = Fixed(hex(kat::IKM_E));
        let (enc, mut ctx): (_, AeadCtxS<AesGcm128, HkdfSha256, Kem>) =
            hpke::setup_sender(&OpModeS::Base, &recipient.0, &hex(kat::INFO), &mut rng).unwrap();
        // enc is pkEm: the ephemeral key came from ikmE.
        assert_eq!(enc.to_bytes().to_vec(), hex(kat::PK_EM));
        // The ciphertexts match only if shared_secret, key and base_nonce do.
        for (aad, ct) in kat::ENCRYPTIONS {
            assert_eq!(ctx.seal(&hex(kat::PT), &hex(aad)).unwrap(), hex(ct));
        }
        // The exporter secret comes from the same key schedule.
        for (context, value) in kat::EXPORTS {
            let mut out = [0; 32];
            ctx.export(&hex(context), &mut out).unwrap();
            assert_eq!(out.to_vec(), hex(value));
        }

        // Our single-shot seal is the first of these.
        let sealed = seal_with(
            &recipient,
            &hex(kat::INFO),
            &hex(kat::ENCRYPTIONS[0].0),
            &hex(kat::PT),
            &mut Fixed(hex(kat::IKM_E)),
        )
        .unwrap();
        assert_eq!(sealed.enc.to_vec(), hex(kat::PK_EM));
        assert_eq!(sealed.ciphertext, hex(kat::ENCRYPTIONS[0].1));
    }

    #[test]
    fn the_rfc_first_ciphertext_opens_with_its_recipient_key() {
        let secret = SecretKey::from_bytes(&hex(kat::SK_RM)).unwrap();
        let (aad, ct) = kat::ENCRYPTIONS[0];
        let opened = open_with(&secret, &hex(kat::INFO), &hex(kat::PK_EM), &hex(aad), &hex(ct));
        assert_eq!(opened.unwrap(), hex(kat::PT));
        // The second ciphertext used the next nonce, so it does not open as a first.
        let (aad, ct) = kat::ENCRYPTIONS[1];
        let opened = open_with(&secret, &hex(kat::INFO), &hex(kat::PK_EM), &hex(aad), &hex(ct));
        assert!(matches!(opened, Err(CheckinError::Open)));
    }

    #[test]
    fn round_trip_and_what_breaks_it() {
        let me = KeyPair::generate();
        let other = KeyPair::generate();
        let sealed = seal(&me.public, b"id-1", b"hello").unwrap();
        assert_eq!(sealed.ciphertext.len(), 5 + TAG_LEN);
        assert_eq!(
            open(&me.secret, &sealed.enc, b"id-1", &sealed.ciphertext).unwrap(),
            b"hello"
        );

        let wrong_key = open(&other.secret, &sealed.enc, b"id-1", &sealed.ciphertext);
        assert!(matches!(wrong_key, Err(CheckinError::Open)));
        let wrong_aad = open(&me.secret, &sealed.enc, b"id-2", &sealed.ciphertext);
        assert!(matches!(wrong_aad, Err(CheckinError::Open)));
        let mut flipped = sealed.ciphertext.clone();
        flipped[0] ^= 1;
        assert!(matches!(
            open(&me.secret, &sealed.enc, b"id-1", &flipped),
            Err(CheckinError::Open)
        ));
        let mut bad_enc = sealed.enc;
        bad_enc[10] ^= 1;
        assert!(matches!(
            open(&me.secret, &bad_enc, b"id-1", &sealed.ciphertext),
            Err(CheckinError::Open)
        ));
        assert!(matches!(
            open(&me.secret, &sealed.enc[..64], b"id-1", &sealed.ciphertext),
            Err(CheckinError::Open)
        ));
    }

    #[test]
    fn keys_round_trip_and_bad_ones_are_refused() {
        let pair = KeyPair::generate();
        let public = PublicKey::from_bytes(&pair.public.to_bytes()).unwrap();
        assert_eq!(public, pair.public);
        let secret = SecretKey::from_bytes(&pair.secret.to_bytes()[..]).unwrap();
        assert_eq!(secret.public_key(), pair.public);

        let mut off_curve = pair.public.to_bytes();
        off_curve[64] ^= 1;
        assert!(matches!(
            PublicKey::from_bytes(&off_curve),
            Err(CheckinError::Key { .. })
        ));
        assert!(matches!(
            PublicKey::from_bytes(&off_curve[..33]),
            Err(CheckinError::Key { .. })
        ));
        assert!(matches!(
            SecretKey::from_bytes(&[0; 32]),
            Err(CheckinError::SecretKey)
        ));
        assert!(matches!(
            SecretKey::from_bytes(&[1; 31]),
            Err(CheckinError::SecretKey)
        ));
        assert_eq!(format!("{:?}", pair.secret), "SecretKey(hidden)");
    }
}
