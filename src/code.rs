//! Enums over Bitrix24 code strings that keep codes they do not know.

/// Declares a `#[non_exhaustive]` enum of known wire codes plus `Other(String)` for unknown ones,
/// with `as_str`, `From<&str>`, `Display`, `Serialize` and `Deserialize` (text or number).
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A code this version does not know, kept exactly as received.
            Other(String),
        }

        impl $name {
            /// The code as Bitrix24 writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $code, )*
                    $name::Other(code) => code,
                }
            }

            /// Whether this is a code this version does not know.
            pub fn is_other(&self) -> bool {
                matches!(self, $name::Other(_))
            }
        }

        impl From<&str> for $name {
            fn from(code: &str) -> Self {
                match code {
                    $( $code => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(code: String) -> Self {
                match code.as_str() {
                    $( $code => $name::$variant, )*
                    _ => $name::Other(code),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::wire::text::deserialize(d).map($name::from)
            }
        }
    };
}

pub(crate) use code_enum;
