//! The sign.b2e (e-signature) events.

use serde::{Deserialize, Serialize};

use crate::EventData;
use crate::code::code_enum;

code_enum! {
    /// A signing participant's status (`data[statusCode]` of OnSignB2eMemberStatusChanged).
    ///
    /// Several internal states map to `ready`, and the event fires on every internal change, so the
    /// same status can arrive twice in a row.
    pub enum MemberStatus {
        /// `wait`: waiting for an earlier participant.
        Wait = "wait",
        /// `ready`: ready to sign.
        Ready = "ready",
        /// `done`: signed (statusName "Signed").
        Done = "done",
        /// `refused`: the participant refused to sign.
        Refused = "refused",
        /// `stopped`: signing was stopped.
        Stopped = "stopped",
        /// `undefined`: Bitrix24's own fallback.
        Undefined = "undefined",
    }
}

code_enum! {
    /// A document's status (`data[statusCode]` of OnSignB2eDocumentStatusChanged).
    pub enum DocumentStatus {
        /// `new`.
        New = "new",
        /// `signing`: signing in progress.
        Signing = "signing",
        /// `stopped`.
        Stopped = "stopped",
        /// `done`: every participant signed.
        Done = "done",
        /// `undefined`: Bitrix24's own fallback.
        Undefined = "undefined",
    }
}

/// Data of OnSignB2eMemberStatusChanged (`ONSIGNB2EMEMBERSTATUSCHANGED`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MemberStatusChanged {
    /// The participant.
    #[serde(rename = "memberUid", with = "crate::wire::text")]
    pub member_uid: String,
    /// The document.
    #[serde(rename = "documentUid", with = "crate::wire::text")]
    pub document_uid: String,
    /// The HCM Link company; present only when the document belongs to one.
    #[serde(rename = "companyUid", default, with = "crate::wire::opt_text", skip_serializing_if = "Option::is_none")]
    pub company_uid: Option<String>,
    /// The new status.
    #[serde(rename = "statusCode")]
    pub status_code: MemberStatus,
    /// The status in English; may be empty.
    #[serde(rename = "statusName", default, with = "crate::wire::text")]
    pub status_name: String,
}

impl MemberStatusChanged {
    /// Builds the data of a member status change.
    pub fn new(member_uid: impl Into<String>, document_uid: impl Into<String>, status_code: MemberStatus) -> Self {
        MemberStatusChanged {
            member_uid: member_uid.into(),
            document_uid: document_uid.into(),
            company_uid: None,
            status_code,
            status_name: String::new(),
        }
    }
}

impl EventData for MemberStatusChanged {
    const CODE: Option<&'static str> = Some("ONSIGNB2EMEMBERSTATUSCHANGED");
}

/// Data of OnSignB2eDocumentStatusChanged (`ONSIGNB2EDOCUMENTSTATUSCHANGED`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DocumentStatusChanged {
    /// The document.
    #[serde(rename = "documentUid", with = "crate::wire::text")]
    pub document_uid: String,
    /// The HCM Link company; present only when the document belongs to one.
    #[serde(rename = "companyUid", default, with = "crate::wire::opt_text", skip_serializing_if = "Option::is_none")]
    pub company_uid: Option<String>,
    /// The new status.
    #[serde(rename = "statusCode")]
    pub status_code: DocumentStatus,
    /// The status in English; may be empty.
    #[serde(rename = "statusName", default, with = "crate::wire::text")]
    pub status_name: String,
}

impl DocumentStatusChanged {
    /// Builds the data of a document status change.
    pub fn new(document_uid: impl Into<String>, status_code: DocumentStatus) -> Self {
        DocumentStatusChanged {
            document_uid: document_uid.into(),
            company_uid: None,
            status_code,
            status_name: String::new(),
        }
    }
}

impl EventData for DocumentStatusChanged {
    const CODE: Option<&'static str> = Some("ONSIGNB2EDOCUMENTSTATUSCHANGED");
}

/// Data of OnSignHcmLinkB2eDocumentSigned (`ONSIGNHCMLINKB2EDOCUMENTSIGNED`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HcmLinkDocumentSigned {
    /// The signing participant's (member's) id.
    #[serde(with = "crate::wire::number")]
    pub id: u64,
    /// The HCM Link company code.
    #[serde(with = "crate::wire::text")]
    pub company: String,
}

impl HcmLinkDocumentSigned {
    /// Builds the data of an HCM Link signature.
    pub fn new(id: u64, company: impl Into<String>) -> Self {
        HcmLinkDocumentSigned { id, company: company.into() }
    }
}

impl EventData for HcmLinkDocumentSigned {
    const CODE: Option<&'static str> = Some("ONSIGNHCMLINKB2EDOCUMENTSIGNED");
}
