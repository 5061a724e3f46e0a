//! Dynamic variables: `{{$name}}` values generated fresh at each occurrence, as in Postman.
//!
//! [`NAMES`] lists every supported name with a one-line description (for autocompletion).

use time::OffsetDateTime;

/// Every dynamic variable, with what it produces.
pub const NAMES: &[(&str, &str)] = &[
    ("$guid", "A v4 UUID"),
    ("$randomUUID", "A v4 UUID"),
    ("$timestamp", "The current Unix time in seconds"),
    ("$isoTimestamp", "The current UTC time in ISO 8601 with milliseconds"),
    ("$randomInt", "An integer between 0 and 1000"),
    ("$randomAlphaNumeric", "One letter or digit"),
    ("$randomBoolean", "true or false"),
    ("$randomColor", "A color name"),
    ("$randomHexColor", "A hex color like #1a2b3c"),
    ("$randomAbbreviation", "An abbreviation like SQL"),
    ("$randomIP", "An IPv4 address"),
    ("$randomIPV6", "An IPv6 address"),
    ("$randomMACAddress", "A MAC address"),
    ("$randomPassword", "A 15-character alphanumeric password"),
    ("$randomLocale", "A two-letter language code"),
    ("$randomUserAgent", "A browser user agent"),
    ("$randomProtocol", "http or https"),
    ("$randomSemver", "A version like 4.2.17"),
    ("$randomFirstName", "A first name"),
    ("$randomLastName", "A last name"),
    ("$randomFullName", "A first and last name"),
    ("$randomNamePrefix", "A name prefix like Dr."),
    ("$randomNameSuffix", "A name suffix like Jr."),
    ("$randomJobTitle", "A job title"),
    ("$randomPhoneNumber", "A phone number like 555-123-4567"),
    ("$randomCity", "A city name"),
    ("$randomStreetName", "A street name"),
    ("$randomStreetAddress", "A street address"),
    ("$randomCountry", "A country name"),
    ("$randomCountryCode", "A two-letter country code"),
    ("$randomLatitude", "A latitude"),
    ("$randomLongitude", "A longitude"),
    ("$randomDomainName", "A domain name"),
    ("$randomDomainWord", "A word usable in a domain"),
    ("$randomDomainSuffix", "A domain suffix like com"),
    ("$randomEmail", "An email address"),
    ("$randomExampleEmail", "An email address at example.com/net/org"),
    ("$randomUserName", "A user name"),
    ("$randomUrl", "A URL"),
    ("$randomWord", "A word"),
    ("$randomWords", "A few words"),
    ("$randomLoremWord", "A lorem ipsum word"),
    ("$randomLoremWords", "A few lorem ipsum words"),
    ("$randomLoremSentence", "A lorem ipsum sentence"),
    ("$randomLoremParagraph", "A lorem ipsum paragraph"),
    ("$randomCompanyName", "A company name"),
    ("$randomDepartment", "A department name"),
    ("$randomProductName", "A product name"),
    ("$randomPrice", "A price like 531.55"),
    ("$randomCurrencyCode", "A currency code like EUR"),
    ("$randomDatePast", "A date in the past year"),
    ("$randomDateFuture", "A date in the next year"),
    ("$randomDateRecent", "A date in the past few days"),
    ("$randomMonth", "A month name"),
    ("$randomWeekday", "A weekday name"),
    ("$randomFileName", "A file name"),
    ("$randomFileExtension", "A file extension"),
    ("$randomMimeType", "A MIME type"),
    ("$randomImageUrl", "An image URL"),
];

const FIRST: &[&str] = &[
    "Ava", "Liam", "Olivia", "Noah", "Emma", "Mateo", "Sofia", "Lucas", "Mia", "Elijah", "Amara", "Kenji",
    "Priya", "Omar", "Ingrid", "Chen", "Fatima", "Diego", "Hana", "Tomás",
];
const LAST: &[&str] = &[
    "Smith",
    "Garcia",
    "Müller",
    "Kowalski",
    "Nguyen",
    "Okafor",
    "Rossi",
    "Tanaka",
    "Johansson",
    "Patel",
    "Silva",
    "Dubois",
    "Novak",
    "Kim",
    "Hughes",
    "Moreau",
    "Larsen",
    "Costa",
    "Ivanova",
    "Brown",
];
const PREFIX: &[&str] = &["Mr.", "Mrs.", "Ms.", "Miss", "Dr."];
const SUFFIX: &[&str] = &["Jr.", "Sr.", "I", "II", "III", "IV", "V", "MD", "DDS", "PhD"];
const JOB: &[&str] = &[
    "Product Engineer",
    "Senior Data Analyst",
    "Lead Designer",
    "Support Specialist",
    "Account Manager",
    "Security Architect",
    "Research Scientist",
    "Operations Coordinator",
    "Marketing Director",
];
const CITY: &[&str] = &[
    "Lisbon",
    "Osaka",
    "Toronto",
    "Nairobi",
    "Oslo",
    "Lyon",
    "Austin",
    "Krakow",
    "Porto Alegre",
    "Melbourne",
];
const STREET: &[&str] = &[
    "Maple Street",
    "Harbor Road",
    "Elm Avenue",
    "Station Lane",
    "Hillcrest Drive",
    "Mill Way",
    "Park Place",
];
const COUNTRY: &[(&str, &str)] = &[
    ("Portugal", "PT"),
    ("Japan", "JP"),
    ("Canada", "CA"),
    ("Kenya", "KE"),
    ("Norway", "NO"),
    ("France", "FR"),
    ("United States", "US"),
    ("Poland", "PL"),
    ("Brazil", "BR"),
    ("Australia", "AU"),
];
const COLOR: &[&str] = &[
    "red", "green", "blue", "teal", "orange", "purple", "olive", "maroon", "navy", "silver", "gold", "indigo",
];
const ABBR: &[&str] =
    &["SQL", "HTTP", "JSON", "TCP", "XML", "SMTP", "RAM", "SSL", "PCI", "AGP", "SAS", "CSS"];
const LOCALE: &[&str] = &["en", "fr", "de", "es", "pt", "ja", "zh", "it", "nl", "pl", "sv", "ko"];
const DOMAIN_SUFFIX: &[&str] = &["com", "net", "org", "io", "info", "biz", "name"];
const WORD: &[&str] = &[
    "bandwidth",
    "protocol",
    "matrix",
    "pixel",
    "circuit",
    "array",
    "monitor",
    "firewall",
    "harbor",
    "meadow",
    "lantern",
    "quartz",
    "orbit",
    "cascade",
    "ember",
    "summit",
    "velvet",
    "compass",
    "thunder",
    "willow",
];
const LOREM: &[&str] = &[
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
    "incididunt",
    "ut",
    "labore",
    "et",
    "dolore",
    "magna",
    "aliqua",
    "enim",
    "minim",
    "veniam",
];
const COMPANY_SUFFIX: &[&str] = &["Inc", "LLC", "Group", "and Sons", "Labs", "Partners"];
const DEPARTMENT: &[&str] =
    &["Books", "Electronics", "Garden", "Grocery", "Health", "Home", "Music", "Outdoors", "Sports", "Toys"];
const PRODUCT_ADJ: &[&str] =
    &["Ergonomic", "Rustic", "Sleek", "Handmade", "Refined", "Gorgeous", "Practical"];
const PRODUCT_NOUN: &[&str] = &["Chair", "Keyboard", "Table", "Lamp", "Shoes", "Bottle", "Backpack", "Clock"];
const CURRENCY: &[&str] = &["EUR", "USD", "JPY", "GBP", "CHF", "CAD", "AUD", "BRL", "INR", "SEK"];
const MONTH: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAY: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const FILE_EXT: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("json", "application/json"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("csv", "text/csv"),
    ("txt", "text/plain"),
    ("mp3", "audio/mpeg"),
    ("zip", "application/zip"),
    ("html", "text/html"),
    ("xml", "application/xml"),
];
const USER_AGENT: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
];

fn pick<T: Copy>(list: &[T]) -> T {
    list[fastrand::usize(..list.len())]
}

fn alnum(len: usize) -> String {
    (0..len).map(|_| fastrand::alphanumeric()).collect()
}

fn words(list: &[&str], n: usize) -> String {
    (0..n).map(|_| pick(list)).collect::<Vec<_>>().join(" ")
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn sentence() -> String {
    format!("{}.", capitalized(&words(LOREM, fastrand::usize(6..12))))
}

/// ISO 8601 in UTC with milliseconds, as JavaScript's `toISOString()`.
fn iso(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    at.to_offset(time::UtcOffset::UTC).format(&format).unwrap_or_default()
}

fn user_name() -> String {
    format!("{}.{}{}", pick(FIRST), pick(LAST), fastrand::u8(1..99)).to_lowercase()
}

fn domain_word() -> String {
    pick(WORD).to_owned()
}

/// Whether `name` (with its `$`) is a dynamic variable.
pub fn is_dynamic(name: &str) -> bool {
    NAMES.iter().any(|(n, _)| *n == name)
}

/// A fresh value for dynamic variable `name`, or `None` if there is no such variable.
pub fn generate(name: &str) -> Option<String> {
    let now = OffsetDateTime::now_utc();
    let day = time::Duration::days(1);
    Some(match name {
        "$guid" | "$randomUUID" => uuid::Uuid::new_v4().to_string(),
        "$timestamp" => now.unix_timestamp().to_string(),
        "$isoTimestamp" => iso(now),
        "$randomInt" => fastrand::u32(0..=1000).to_string(),
        "$randomAlphaNumeric" => fastrand::alphanumeric().to_ascii_lowercase().to_string(),
        "$randomBoolean" => fastrand::bool().to_string(),
        "$randomColor" => pick(COLOR).to_owned(),
        "$randomHexColor" => format!("#{:06x}", fastrand::u32(0..0x0100_0000)),
        "$randomAbbreviation" => pick(ABBR).to_owned(),
        "$randomIP" => {
            format!(
                "{}.{}.{}.{}",
                fastrand::u8(1..=254),
                fastrand::u8(..),
                fastrand::u8(..),
                fastrand::u8(1..=254)
            )
        }
        "$randomIPV6" => (0..8).map(|_| format!("{:x}", fastrand::u16(..))).collect::<Vec<_>>().join(":"),
        "$randomMACAddress" => {
            (0..6).map(|_| format!("{:02x}", fastrand::u8(..))).collect::<Vec<_>>().join(":")
        }
        "$randomPassword" => alnum(15),
        "$randomLocale" => pick(LOCALE).to_owned(),
        "$randomUserAgent" => pick(USER_AGENT).to_owned(),
        "$randomProtocol" => if fastrand::bool() { "https" } else { "http" }.to_owned(),
        "$randomSemver" => format!("{}.{}.{}", fastrand::u8(0..10), fastrand::u8(0..20), fastrand::u8(0..50)),
        "$randomFirstName" => pick(FIRST).to_owned(),
        "$randomLastName" => pick(LAST).to_owned(),
        "$randomFullName" => format!("{} {}", pick(FIRST), pick(LAST)),
        "$randomNamePrefix" => pick(PREFIX).to_owned(),
        "$randomNameSuffix" => pick(SUFFIX).to_owned(),
        "$randomJobTitle" => pick(JOB).to_owned(),
        "$randomPhoneNumber" => {
            format!(
                "{}-{}-{:04}",
                fastrand::u16(200..1000),
                fastrand::u16(200..1000),
                fastrand::u16(0..10_000)
            )
        }
        "$randomCity" => pick(CITY).to_owned(),
        "$randomStreetName" => pick(STREET).to_owned(),
        "$randomStreetAddress" => format!("{} {}", fastrand::u16(1..9999), pick(STREET)),
        "$randomCountry" => pick(COUNTRY).0.to_owned(),
        "$randomCountryCode" => pick(COUNTRY).1.to_owned(),
        "$randomLatitude" => format!("{:.4}", fastrand::f64() * 180.0 - 90.0),
        "$randomLongitude" => format!("{:.4}", fastrand::f64() * 360.0 - 180.0),
        "$randomDomainName" => format!("{}-{}.{}", domain_word(), domain_word(), pick(DOMAIN_SUFFIX)),
        "$randomDomainWord" => domain_word(),
        "$randomDomainSuffix" => pick(DOMAIN_SUFFIX).to_owned(),
        "$randomEmail" => format!("{}@{}.{}", user_name(), domain_word(), pick(DOMAIN_SUFFIX)),
        "$randomExampleEmail" => format!("{}@example.{}", user_name(), pick(&["com", "net", "org"])),
        "$randomUserName" => user_name(),
        "$randomUrl" => format!("https://{}.{}", domain_word(), pick(DOMAIN_SUFFIX)),
        "$randomWord" => pick(WORD).to_owned(),
        "$randomLoremWord" => pick(LOREM).to_owned(),
        "$randomWords" => words(WORD, fastrand::usize(2..5)),
        "$randomLoremWords" => words(LOREM, 3),
        "$randomLoremSentence" => sentence(),
        "$randomLoremParagraph" => (0..3).map(|_| sentence()).collect::<Vec<_>>().join(" "),
        "$randomCompanyName" => format!("{} {}", pick(LAST), pick(COMPANY_SUFFIX)),
        "$randomDepartment" => pick(DEPARTMENT).to_owned(),
        "$randomProductName" => format!("{} {}", pick(PRODUCT_ADJ), pick(PRODUCT_NOUN)),
        "$randomPrice" => format!("{}.{:02}", fastrand::u32(1..1000), fastrand::u8(0..100)),
        "$randomCurrencyCode" => pick(CURRENCY).to_owned(),
        "$randomDatePast" => iso(now - day * fastrand::i32(1..365)),
        "$randomDateFuture" => iso(now + day * fastrand::i32(1..365)),
        "$randomDateRecent" => iso(now - time::Duration::hours(fastrand::i64(1..72))),
        "$randomMonth" => pick(MONTH).to_owned(),
        "$randomWeekday" => pick(WEEKDAY).to_owned(),
        "$randomFileName" => format!("{}.{}", pick(WORD), pick(FILE_EXT).0),
        "$randomFileExtension" => pick(FILE_EXT).0.to_owned(),
        "$randomMimeType" => pick(FILE_EXT).1.to_owned(),
        "$randomImageUrl" => format!("https://picsum.photos/{}/{}", 320 + fastrand::u32(0..4) * 160, 240),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_generates_a_value() {
        for (name, _) in NAMES {
            let value = generate(name).unwrap_or_else(|| panic!("{name} generates nothing"));
            assert!(!value.is_empty(), "{name} is empty");
        }
        assert!(NAMES.iter().filter(|(n, _)| n.starts_with("$random")).count() >= 20);
        assert_eq!(generate("$notAThing"), None);
    }

    #[test]
    fn values_have_the_expected_shape() {
        let ts: i64 = generate("$timestamp").unwrap().parse().unwrap();
        assert!((ts - OffsetDateTime::now_utc().unix_timestamp()).abs() < 5);
        let iso = generate("$isoTimestamp").unwrap();
        assert!(iso.ends_with('Z') && iso.len() == 24, "{iso}");
        let n: u32 = generate("$randomInt").unwrap().parse().unwrap();
        assert!(n <= 1000);
        assert!(generate("$randomIP").unwrap().parse::<std::net::Ipv4Addr>().is_ok());
        assert!(generate("$randomIPV6").unwrap().parse::<std::net::Ipv6Addr>().is_ok());
        assert!(generate("$randomEmail").unwrap().contains('@'));
        assert!(["true", "false"].contains(&generate("$randomBoolean").unwrap().as_str()));
        let hex = generate("$randomHexColor").unwrap();
        assert!(hex.starts_with('#') && hex.len() == 7);
        assert!(uuid::Uuid::parse_str(&generate("$randomUUID").unwrap()).is_ok());
    }
}
