//! The application lifecycle events: install, update, uninstall.

use serde::{Deserialize, Serialize};

use crate::EventData;

/// Data of ONAPPINSTALL. The event's `auth[application_token]` is the token to store for the portal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AppInstall {
    /// The installed version.
    #[serde(rename = "VERSION", with = "crate::wire::number")]
    pub version: u64,
    /// `ACTIVE` (Y/N).
    #[serde(rename = "ACTIVE", default, with = "crate::wire::opt_flag_yn", skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// `INSTALLED` (Y/N): whether installation finished.
    #[serde(rename = "INSTALLED", default, with = "crate::wire::opt_flag_yn", skip_serializing_if = "Option::is_none")]
    pub installed: Option<bool>,
    /// The portal's language (`en`, `ru`, ...).
    #[serde(rename = "LANGUAGE_ID", default, with = "crate::wire::opt_text", skip_serializing_if = "Option::is_none")]
    pub language_id: Option<String>,
}

impl AppInstall {
    /// Builds install data for `version`, active and installed.
    pub fn new(version: u64) -> Self {
        AppInstall { version, active: Some(true), installed: Some(true), language_id: None }
    }
}

impl EventData for AppInstall {
    const CODE: Option<&'static str> = Some("ONAPPINSTALL");
}

/// Data of ONAPPUPDATE. The event's `auth[application_token]` replaces the stored one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AppUpdate {
    /// The new version.
    #[serde(rename = "VERSION", with = "crate::wire::number")]
    pub version: u64,
    /// The version updated from.
    #[serde(
        rename = "PREVIOUS_VERSION",
        default,
        with = "crate::wire::opt_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub previous_version: Option<u64>,
    /// The portal's language.
    #[serde(rename = "LANGUAGE_ID", default, with = "crate::wire::opt_text", skip_serializing_if = "Option::is_none")]
    pub language_id: Option<String>,
}

impl AppUpdate {
    /// Builds update data.
    pub fn new(version: u64, previous_version: u64) -> Self {
        AppUpdate { version, previous_version: Some(previous_version), language_id: None }
    }
}

impl EventData for AppUpdate {
    const CODE: Option<&'static str> = Some("ONAPPUPDATE");
}

/// Data of ONAPPUNINSTALL. It carries no OAuth tokens: the application_token is its only proof.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AppUninstall {
    /// `CLEAN` (1/0): whether the user asked to delete the app's data.
    #[serde(rename = "CLEAN", default, with = "crate::wire::flag_10")]
    pub clean: bool,
    /// The portal's language.
    #[serde(rename = "LANGUAGE_ID", default, with = "crate::wire::opt_text", skip_serializing_if = "Option::is_none")]
    pub language_id: Option<String>,
}

impl AppUninstall {
    /// Builds uninstall data.
    pub fn new(clean: bool) -> Self {
        AppUninstall { clean, language_id: None }
    }
}

impl EventData for AppUninstall {
    const CODE: Option<&'static str> = Some("ONAPPUNINSTALL");
}
