//! The rustls client configuration of a `wss://` connection: the same trust as the HTTP clients
//! (the platform's roots plus the settings' extra CA files, the minimum TLS version, the client
//! certificate configured for the host, verification off only when asked and allowed).

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use url::Url;

use crate::http::client::{certificate_for, identity_pem};
use crate::http::error::SendError;
use crate::model::{MinTls, Settings};

/// A client configuration for `url` (speaking HTTP/1.1 only: the upgrade needs it). Reads the
/// CA and certificate files: call it off the async threads.
pub(super) fn client_config(
    settings: &Settings,
    url: &Url,
    verify_tls: bool,
) -> Result<rustls::ClientConfig, SendError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let versions: &[&rustls::SupportedProtocolVersion] = match settings.min_tls_version {
        MinTls::Tls1_2 => &[&rustls::version::TLS13, &rustls::version::TLS12],
        MinTls::Tls1_3 => &[&rustls::version::TLS13],
    };
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_protocol_versions(versions)
        .map_err(|e| SendError::Internal(format!("cannot set up TLS: {e}")))?;
    let verifier: Arc<dyn ServerCertVerifier> = if verify_tls {
        let extra = extra_roots(settings)?;
        Arc::new(
            rustls_platform_verifier::Verifier::new_with_extra_roots(extra, Arc::clone(&provider))
                .map_err(|e| SendError::Internal(format!("cannot load the system's certificates: {e}")))?,
        )
    } else {
        Arc::new(AcceptAnyCertificate(provider))
    };
    let builder = builder.dangerous().with_custom_certificate_verifier(verifier);
    let mut config = match certificate_for(settings, url).and_then(|i| settings.client_certificates.get(i)) {
        Some(cert) => {
            let pem = identity_pem(cert)?;
            let fail = |detail: String| SendError::ClientCertificate {
                host: cert.host.clone(),
                path: if cert.pkcs12_file.is_empty() {
                    cert.cert_file.clone()
                } else {
                    cert.pkcs12_file.clone()
                },
                detail,
            };
            let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<_, _>>()
                .map_err(|e| fail(format!("not a usable certificate: {e}")))?;
            if chain.is_empty() {
                return Err(fail("no PEM certificate in the file".into()));
            }
            let key =
                PrivateKeyDer::from_pem_slice(&pem).map_err(|e| fail(format!("not a usable key: {e}")))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| fail(format!("not a usable certificate and key: {e}")))?
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The certificates of the settings' extra CA files.
fn extra_roots(settings: &Settings) -> Result<Vec<CertificateDer<'static>>, SendError> {
    let mut roots = Vec::new();
    for path in &settings.extra_ca_files {
        let pem = std::fs::read(path)
            .map_err(|e| SendError::CaFile { path: path.clone(), detail: e.to_string() })?;
        let found: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<_, _>>()
            .map_err(|e| SendError::CaFile { path: path.clone(), detail: e.to_string() })?;
        if found.is_empty() {
            return Err(SendError::CaFile {
                path: path.clone(),
                detail: "no PEM certificate in the file".into(),
            });
        }
        roots.extend(found);
    }
    Ok(roots)
}

/// Verification off (the user asked, the policy allows): any certificate, signatures still
/// checked so the handshake itself is sound.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
