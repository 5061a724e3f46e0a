//! Dynamic variables: `{{$name}}` values generated fresh at each occurrence, as in Postman.
//!
//! [`NAMES`] lists every supported name with a one-line description (for autocompletion).

use time::OffsetDateTime;

use super::words::*;

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
    ("$randomAdjective", "A hacker adjective like auxiliary"),
    ("$randomNoun", "A hacker noun like bandwidth"),
    ("$randomVerb", "A hacker verb like connect"),
    ("$randomIngverb", "A verb ending in -ing like compressing"),
    ("$randomPhrase", "A hacker phrase"),
    ("$randomJobArea", "A job area like Branding"),
    ("$randomJobDescriptor", "A job descriptor like Senior"),
    ("$randomJobType", "A job type like Coordinator"),
    ("$randomPhoneNumberExt", "A phone number with an extension, like 27-555-123-4567"),
    ("$randomBankAccount", "An 8-digit bank account number"),
    ("$randomBankAccountName", "A bank account name like Savings Account"),
    ("$randomBankAccountBic", "A BIC like DEUTDEFF500"),
    ("$randomBankAccountIban", "An IBAN"),
    ("$randomCreditCardMask", "A masked credit card number: its last 4 digits"),
    ("$randomTransactionType", "A transaction type like invoice"),
    ("$randomCurrencyName", "A currency name like Euro"),
    ("$randomCurrencySymbol", "A currency symbol like €"),
    ("$randomBitcoin", "A bitcoin address"),
    ("$randomCompanySuffix", "A company suffix like LLC"),
    ("$randomBs", "Business speak like synergize scalable portals"),
    ("$randomBsAdjective", "A business-speak adjective like viral"),
    ("$randomBsBuzz", "A business-speak verb like leverage"),
    ("$randomBsNoun", "A business-speak noun like paradigms"),
    ("$randomCatchPhrase", "A catchphrase like Future-proofed heuristic archive"),
    ("$randomCatchPhraseAdjective", "A catchphrase adjective like Self-enabling"),
    ("$randomCatchPhraseDescriptor", "A catchphrase descriptor like bandwidth-monitored"),
    ("$randomCatchPhraseNoun", "A catchphrase noun like framework"),
    ("$randomDatabaseColumn", "A database column name like updatedAt"),
    ("$randomDatabaseType", "A database type like varchar"),
    ("$randomDatabaseCollation", "A database collation like utf8_unicode_ci"),
    ("$randomDatabaseEngine", "A database engine like InnoDB"),
    ("$randomProduct", "A product like Chair"),
    ("$randomProductAdjective", "A product adjective like Handcrafted"),
    ("$randomProductMaterial", "A product material like Steel"),
    ("$randomFileExt", "A file extension"),
    ("$randomFileType", "A file type like image"),
    ("$randomCommonFileName", "A common file name like report.pdf"),
    ("$randomCommonFileType", "A common file type like video"),
    ("$randomCommonFileExt", "A common file extension like pdf"),
    ("$randomFilePath", "A file path"),
    ("$randomDirectoryPath", "A directory path"),
    ("$randomAvatarImage", "An avatar image URL"),
    ("$randomImageDataUri", "An image as a data URI"),
    ("$randomAbstractImage", "An abstract image URL"),
    ("$randomAnimalsImage", "An animal image URL"),
    ("$randomBusinessImage", "A business image URL"),
    ("$randomCatsImage", "A cat image URL"),
    ("$randomCityImage", "A city image URL"),
    ("$randomFoodImage", "A food image URL"),
    ("$randomNightlifeImage", "A nightlife image URL"),
    ("$randomFashionImage", "A fashion image URL"),
    ("$randomPeopleImage", "A people image URL"),
    ("$randomNatureImage", "A nature image URL"),
    ("$randomSportsImage", "A sports image URL"),
    ("$randomTransportImage", "A transport image URL"),
    ("$randomLoremSentences", "2 to 6 lorem ipsum sentences"),
    ("$randomLoremParagraphs", "3 lorem ipsum paragraphs"),
    ("$randomLoremText", "Some lorem ipsum text"),
    ("$randomLoremSlug", "A lorem ipsum URL slug like lorem-ipsum-dolor"),
    ("$randomLoremLines", "1 to 5 lines of lorem ipsum"),
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

/// The dynamic variables that are one word (or phrase) picked from a list.
const PICKED: &[(&str, &[&str])] = &[
    ("$randomColor", COLOR),
    ("$randomAbbreviation", ABBR),
    ("$randomLocale", LOCALE),
    ("$randomUserAgent", USER_AGENT),
    ("$randomFirstName", FIRST),
    ("$randomLastName", LAST),
    ("$randomNamePrefix", PREFIX),
    ("$randomNameSuffix", SUFFIX),
    ("$randomJobTitle", JOB),
    ("$randomCity", CITY),
    ("$randomStreetName", STREET),
    ("$randomDomainSuffix", DOMAIN_SUFFIX),
    ("$randomWord", WORD),
    ("$randomLoremWord", LOREM),
    ("$randomDepartment", DEPARTMENT),
    ("$randomCurrencyCode", CURRENCY),
    ("$randomMonth", MONTH),
    ("$randomWeekday", WEEKDAY),
    ("$randomAdjective", HACKER_ADJ),
    ("$randomNoun", HACKER_NOUN),
    ("$randomVerb", HACKER_VERB),
    ("$randomIngverb", HACKER_ING),
    ("$randomJobArea", JOB_AREA),
    ("$randomJobDescriptor", JOB_DESCRIPTOR),
    ("$randomJobType", JOB_TYPE),
    ("$randomBankAccountName", ACCOUNT_NAME),
    ("$randomTransactionType", TRANSACTION),
    ("$randomCompanySuffix", COMPANY_SUFFIX),
    ("$randomBsAdjective", BS_ADJ),
    ("$randomBsBuzz", BS_BUZZ),
    ("$randomBsNoun", BS_NOUN),
    ("$randomCatchPhraseAdjective", CATCH_ADJ),
    ("$randomCatchPhraseDescriptor", CATCH_DESCRIPTOR),
    ("$randomCatchPhraseNoun", CATCH_NOUN),
    ("$randomDatabaseColumn", DB_COLUMN),
    ("$randomDatabaseType", DB_TYPE),
    ("$randomDatabaseCollation", DB_COLLATION),
    ("$randomDatabaseEngine", DB_ENGINE),
    ("$randomProduct", PRODUCT_NOUN),
    ("$randomProductAdjective", PRODUCT_ADJ),
    ("$randomProductMaterial", PRODUCT_MATERIAL),
    ("$randomFileType", FILE_TYPE),
    ("$randomCommonFileType", COMMON_FILE_TYPE),
    ("$randomDirectoryPath", DIRECTORY),
];

/// A fresh value for dynamic variable `name`, or `None` if there is no such variable.
pub fn generate(name: &str) -> Option<String> {
    if let Some((_, list)) = PICKED.iter().find(|(n, _)| *n == name) {
        return Some(pick(list).to_owned());
    }
    let now = OffsetDateTime::now_utc();
    let day = time::Duration::days(1);
    Some(match name {
        "$guid" | "$randomUUID" => uuid::Uuid::new_v4().to_string(),
        "$timestamp" => now.unix_timestamp().to_string(),
        "$isoTimestamp" => iso(now),
        "$randomInt" => fastrand::u32(0..=1000).to_string(),
        "$randomAlphaNumeric" => fastrand::alphanumeric().to_ascii_lowercase().to_string(),
        "$randomBoolean" => fastrand::bool().to_string(),
        "$randomHexColor" => format!("#{:06x}", fastrand::u32(0..0x0100_0000)),
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
        "$randomProtocol" => if fastrand::bool() { "https" } else { "http" }.to_owned(),
        "$randomSemver" => format!("{}.{}.{}", fastrand::u8(0..10), fastrand::u8(0..20), fastrand::u8(0..50)),
        "$randomFullName" => format!("{} {}", pick(FIRST), pick(LAST)),
        "$randomPhoneNumber" => {
            format!(
                "{}-{}-{:04}",
                fastrand::u16(200..1000),
                fastrand::u16(200..1000),
                fastrand::u16(0..10_000)
            )
        }
        "$randomStreetAddress" => format!("{} {}", fastrand::u16(1..9999), pick(STREET)),
        "$randomCountry" => pick(COUNTRY).0.to_owned(),
        "$randomCountryCode" => pick(COUNTRY).1.to_owned(),
        "$randomLatitude" => format!("{:.4}", fastrand::f64() * 180.0 - 90.0),
        "$randomLongitude" => format!("{:.4}", fastrand::f64() * 360.0 - 180.0),
        "$randomDomainName" => format!("{}-{}.{}", domain_word(), domain_word(), pick(DOMAIN_SUFFIX)),
        "$randomDomainWord" => domain_word(),
        "$randomEmail" => format!("{}@{}.{}", user_name(), domain_word(), pick(DOMAIN_SUFFIX)),
        "$randomExampleEmail" => format!("{}@example.{}", user_name(), pick(&["com", "net", "org"])),
        "$randomUserName" => user_name(),
        "$randomUrl" => format!("https://{}.{}", domain_word(), pick(DOMAIN_SUFFIX)),
        "$randomWords" => words(WORD, fastrand::usize(2..5)),
        "$randomLoremWords" => words(LOREM, 3),
        "$randomLoremSentence" => sentence(),
        "$randomLoremParagraph" => sentences(3, " "),
        "$randomCompanyName" => format!("{} {}", pick(LAST), pick(COMPANY_SUFFIX)),
        "$randomProductName" => format!("{} {}", pick(PRODUCT_ADJ), pick(PRODUCT_NOUN)),
        "$randomPrice" => format!("{}.{:02}", fastrand::u32(1..1000), fastrand::u8(0..100)),
        "$randomDatePast" => iso(now - day * fastrand::i32(1..365)),
        "$randomDateFuture" => iso(now + day * fastrand::i32(1..365)),
        "$randomDateRecent" => iso(now - time::Duration::hours(fastrand::i64(1..72))),
        "$randomFileName" => format!("{}.{}", pick(WORD), pick(FILE_EXT).0),
        "$randomMimeType" => pick(FILE_EXT).1.to_owned(),
        "$randomImageUrl" => format!("https://picsum.photos/{}/{}", 320 + fastrand::u32(0..4) * 160, 240),
        "$randomPhrase" => phrase(),
        "$randomPhoneNumberExt" => format!(
            "{}-{}-{}-{:04}",
            fastrand::u8(1..100),
            fastrand::u16(200..1000),
            fastrand::u16(200..1000),
            fastrand::u16(0..10_000)
        ),
        "$randomBankAccount" => digits(8),
        "$randomBankAccountBic" => bic(),
        "$randomBankAccountIban" => iban(),
        "$randomCreditCardMask" => digits(4),
        "$randomCurrencyName" => pick(CURRENCY_NAME).0.to_owned(),
        "$randomCurrencySymbol" => pick(CURRENCY_NAME).1.to_owned(),
        "$randomBitcoin" => bitcoin_address(),
        "$randomBs" => format!("{} {} {}", pick(BS_BUZZ), pick(BS_ADJ), pick(BS_NOUN)),
        "$randomCatchPhrase" => {
            format!("{} {} {}", pick(CATCH_ADJ), pick(CATCH_DESCRIPTOR), pick(CATCH_NOUN))
        }
        "$randomFileExt" | "$randomCommonFileExt" | "$randomFileExtension" => pick(FILE_EXT).0.to_owned(),
        "$randomCommonFileName" => format!("{}_{}.{}", pick(WORD), pick(WORD), pick(FILE_EXT).0),
        "$randomFilePath" => format!("{}/{}.{}", pick(DIRECTORY), pick(WORD), pick(FILE_EXT).0),
        "$randomAvatarImage" => format!("https://i.pravatar.cc/150?img={}", fastrand::u8(1..=70)),
        "$randomImageDataUri" => image_data_uri(),
        image if IMAGE_CATEGORY.iter().any(|(n, _)| *n == image) => {
            let category = IMAGE_CATEGORY.iter().find(|(n, _)| *n == image).map_or("abstract", |(_, c)| c);
            format!("http://placeimg.com/640/480/{category}")
        }
        "$randomLoremSentences" => sentences(fastrand::usize(2..=6), " "),
        "$randomLoremParagraphs" => (0..3).map(|_| sentences(3, " ")).collect::<Vec<_>>().join("\n \r"),
        "$randomLoremText" => sentences(fastrand::usize(1..=4), " "),
        "$randomLoremSlug" => words(LOREM, 3).replace(' ', "-"),
        "$randomLoremLines" => sentences(fastrand::usize(1..=5), "\n"),
        _ => return None,
    })
}

/// `n` lorem ipsum sentences joined by `separator`.
fn sentences(n: usize, separator: &str) -> String {
    (0..n).map(|_| sentence()).collect::<Vec<_>>().join(separator)
}

/// A hacker phrase, as faker's `hacker.phrase`.
fn phrase() -> String {
    format!(
        "If we {} the {}, we can get to the {} {} through the {} {}!",
        pick(HACKER_VERB),
        pick(HACKER_NOUN),
        pick(HACKER_ADJ),
        pick(HACKER_NOUN),
        pick(HACKER_ADJ),
        pick(HACKER_NOUN)
    )
}

/// A BIC: bank and location letters around a country code of [`COUNTRY`], with or without a
/// branch code.
fn bic() -> String {
    let letters = |n: usize| (0..n).map(|_| char::from(fastrand::u8(b'A'..=b'Z'))).collect::<String>();
    format!(
        "{}{}{}{}",
        letters(4),
        pick(COUNTRY).1,
        letters(2),
        if fastrand::bool() { digits(3) } else { String::new() }
    )
}

/// A bitcoin address's shape: `1` or `3`, then 25 to 33 base58 characters.
fn bitcoin_address() -> String {
    const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let first = if fastrand::bool() { '1' } else { '3' };
    let rest: String =
        (0..fastrand::usize(25..34)).map(|_| char::from(BASE58[fastrand::usize(..BASE58.len())])).collect();
    format!("{first}{rest}")
}

/// A 640 by 480 SVG of one colour, as a data URI.
fn image_data_uri() -> String {
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" baseProfile=\"full\" width=\"640\" height=\"480\"><rect width=\"100%\" height=\"100%\" fill=\"{}\"/></svg>",
        pick(COLOR)
    );
    format!(
        "data:image/svg+xml;charset=UTF-8,{}",
        percent_encoding::utf8_percent_encode(&svg, percent_encoding::NON_ALPHANUMERIC)
    )
}

/// `n` random decimal digits.
fn digits(n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + fastrand::u8(0..10))).collect()
}

/// A valid IBAN (its check digits computed, ISO 13616) for a country of [`COUNTRY`].
fn iban() -> String {
    let country = pick(&["DE", "FR", "PT", "NO", "PL", "GB"]);
    let bban = digits(match country {
        "NO" => 11,
        "DE" => 18,
        "PL" => 24,
        "PT" => 21,
        _ => 20,
    });
    // Check digits: BBAN + country (letters as 10..35) + "00", mod 97, subtracted from 98.
    let numeric: String = format!("{bban}{country}00")
        .chars()
        .map(|c| {
            if c.is_ascii_digit() { c.to_string() } else { (u32::from(c) - u32::from('A') + 10).to_string() }
        })
        .collect();
    let rem = numeric.bytes().fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
    format!("{country}{:02}{bban}", 98 - rem)
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

    /// Every dynamic variable Postman has (postman-collection's `dynamic-variables.js`).
    const POSTMAN: &str = "$guid $isoTimestamp $randomAbbreviation $randomAbstractImage $randomAdjective \
        $randomAlphaNumeric $randomAnimalsImage $randomAvatarImage $randomBankAccount $randomBankAccountBic \
        $randomBankAccountIban $randomBankAccountName $randomBitcoin $randomBoolean $randomBs $randomBsAdjective \
        $randomBsBuzz $randomBsNoun $randomBusinessImage $randomCatchPhrase $randomCatchPhraseAdjective \
        $randomCatchPhraseDescriptor $randomCatchPhraseNoun $randomCatsImage $randomCity $randomCityImage \
        $randomColor $randomCommonFileExt $randomCommonFileName $randomCommonFileType $randomCompanyName \
        $randomCompanySuffix $randomCountry $randomCountryCode $randomCreditCardMask $randomCurrencyCode \
        $randomCurrencyName $randomCurrencySymbol $randomDatabaseCollation $randomDatabaseColumn \
        $randomDatabaseEngine $randomDatabaseType $randomDateFuture $randomDatePast $randomDateRecent \
        $randomDepartment $randomDirectoryPath $randomDomainName $randomDomainSuffix $randomDomainWord \
        $randomEmail $randomExampleEmail $randomFashionImage $randomFileExt $randomFileName $randomFilePath \
        $randomFileType $randomFirstName $randomFoodImage $randomFullName $randomHexColor $randomIP $randomIPV6 \
        $randomImageDataUri $randomImageUrl $randomIngverb $randomInt $randomJobArea $randomJobDescriptor \
        $randomJobTitle $randomJobType $randomLastName $randomLatitude $randomLocale $randomLongitude \
        $randomLoremLines $randomLoremParagraph $randomLoremParagraphs $randomLoremSentence \
        $randomLoremSentences $randomLoremSlug $randomLoremText $randomLoremWord $randomLoremWords \
        $randomMACAddress $randomMimeType $randomMonth $randomNamePrefix $randomNameSuffix $randomNatureImage \
        $randomNightlifeImage $randomNoun $randomPassword $randomPeopleImage $randomPhoneNumber \
        $randomPhoneNumberExt $randomPhrase $randomPrice $randomProduct $randomProductAdjective \
        $randomProductMaterial $randomProductName $randomProtocol $randomSemver $randomSportsImage \
        $randomStreetAddress $randomStreetName $randomTransactionType $randomTransportImage $randomUUID \
        $randomUrl $randomUserAgent $randomUserName $randomVerb $randomWeekday $randomWord $randomWords \
        $timestamp";

    #[test]
    fn every_postman_dynamic_variable_is_here() {
        let names: Vec<&str> = POSTMAN.split_whitespace().collect();
        assert_eq!(names.len(), 118);
        for name in names {
            assert!(is_dynamic(name), "{name} is not listed");
            assert!(generate(name).is_some_and(|v| !v.is_empty()), "{name} generates nothing");
        }
    }

    #[test]
    fn finance_values_have_their_shape() {
        for _ in 0..50 {
            let iban = generate("$randomBankAccountIban").unwrap();
            // ISO 13616: moving the first four characters to the end gives a number ≡ 1 (mod 97).
            let moved = format!("{}{}", &iban[4..], &iban[..4]);
            let numeric: String = moved
                .chars()
                .map(|c| if c.is_ascii_digit() { c.to_string() } else { (u32::from(c) - 55).to_string() })
                .collect();
            let rem = numeric.bytes().fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
            assert_eq!(rem, 1, "{iban}");
            let account = generate("$randomBankAccount").unwrap();
            assert!(account.len() == 8 && account.bytes().all(|b| b.is_ascii_digit()), "{account}");
            let bic = generate("$randomBankAccountBic").unwrap();
            assert!(bic.len() == 8 || bic.len() == 11, "{bic}");
            let btc = generate("$randomBitcoin").unwrap();
            assert!(
                (26..=35).contains(&btc.len()) && (btc.starts_with('1') || btc.starts_with('3')),
                "{btc}"
            );
        }
        assert!(
            generate("$randomImageDataUri").unwrap().starts_with("data:image/svg+xml;charset=UTF-8,%3Csvg")
        );
        assert_eq!(generate("$randomCatsImage").unwrap(), "http://placeimg.com/640/480/cats");
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
