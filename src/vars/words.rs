//! The words dynamic variables are made of (see `dynamic.rs`), in the spirit of the lists
//! Postman's generator (faker) draws from. Not formatted by rustfmt: one list per line or two.

pub(super) const FIRST: &[&str] = &[
    "Ava", "Liam", "Olivia", "Noah", "Emma", "Mateo", "Sofia", "Lucas", "Mia", "Elijah", "Amara", "Kenji",
    "Priya", "Omar", "Ingrid", "Chen", "Fatima", "Diego", "Hana", "Tomás",
];

pub(super) const LAST: &[&str] = &[
    "Smith", "Garcia", "Müller", "Kowalski", "Nguyen", "Okafor", "Rossi", "Tanaka", "Johansson", "Patel",
    "Silva", "Dubois", "Novak", "Kim", "Hughes", "Moreau", "Larsen", "Costa", "Ivanova", "Brown",
];

pub(super) const PREFIX: &[&str] = &["Mr.", "Mrs.", "Ms.", "Miss", "Dr."];

pub(super) const SUFFIX: &[&str] = &["Jr.", "Sr.", "I", "II", "III", "IV", "V", "MD", "DDS", "PhD"];

pub(super) const JOB: &[&str] = &[
    "Product Engineer", "Senior Data Analyst", "Lead Designer", "Support Specialist", "Account Manager",
    "Security Architect", "Research Scientist", "Operations Coordinator", "Marketing Director",
];

pub(super) const CITY: &[&str] = &[
    "Lisbon", "Osaka", "Toronto", "Nairobi", "Oslo", "Lyon", "Austin", "Krakow", "Porto Alegre", "Melbourne",
];

pub(super) const STREET: &[&str] = &[
    "Maple Street", "Harbor Road", "Elm Avenue", "Station Lane", "Hillcrest Drive", "Mill Way", "Park Place",
];

pub(super) const COUNTRY: &[(&str, &str)] = &[
    ("Portugal", "PT"), ("Japan", "JP"), ("Canada", "CA"), ("Kenya", "KE"), ("Norway", "NO"),
    ("France", "FR"), ("United States", "US"), ("Poland", "PL"), ("Brazil", "BR"), ("Australia", "AU"),
];

pub(super) const COLOR: &[&str] = &[
    "red", "green", "blue", "teal", "orange", "purple", "olive", "maroon", "navy", "silver", "gold", "indigo",
];

pub(super) const ABBR: &[&str] = &[
    "SQL", "HTTP", "JSON", "TCP", "XML", "SMTP", "RAM", "SSL", "PCI", "AGP", "SAS", "CSS",
];

pub(super) const LOCALE: &[&str] = &["en", "fr", "de", "es", "pt", "ja", "zh", "it", "nl", "pl", "sv", "ko"];

pub(super) const DOMAIN_SUFFIX: &[&str] = &["com", "net", "org", "io", "info", "biz", "name"];

pub(super) const WORD: &[&str] = &[
    "bandwidth", "protocol", "matrix", "pixel", "circuit", "array", "monitor", "firewall", "harbor", "meadow",
    "lantern", "quartz", "orbit", "cascade", "ember", "summit", "velvet", "compass", "thunder", "willow",
];

pub(super) const LOREM: &[&str] = &[
    "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "eiusmod",
    "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua", "enim", "minim", "veniam",
];

pub(super) const COMPANY_SUFFIX: &[&str] = &["Inc", "LLC", "Group", "and Sons", "Labs", "Partners"];

pub(super) const DEPARTMENT: &[&str] = &[
    "Books", "Electronics", "Garden", "Grocery", "Health", "Home", "Music", "Outdoors", "Sports", "Toys",
];

pub(super) const PRODUCT_ADJ: &[&str] = &[
    "Ergonomic", "Rustic", "Sleek", "Handmade", "Refined", "Gorgeous", "Practical",
];

pub(super) const PRODUCT_NOUN: &[&str] = &[
    "Chair", "Keyboard", "Table", "Lamp", "Shoes", "Bottle", "Backpack", "Clock",
];

pub(super) const CURRENCY: &[&str] = &["EUR", "USD", "JPY", "GBP", "CHF", "CAD", "AUD", "BRL", "INR", "SEK"];

pub(super) const MONTH: &[&str] = &[
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
];

pub(super) const WEEKDAY: &[&str] = &[
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
];

pub(super) const FILE_EXT: &[(&str, &str)] = &[
    ("pdf", "application/pdf"), ("json", "application/json"), ("png", "image/png"), ("jpg", "image/jpeg"),
    ("csv", "text/csv"), ("txt", "text/plain"), ("mp3", "audio/mpeg"), ("zip", "application/zip"),
    ("html", "text/html"), ("xml", "application/xml"),
];

pub(super) const USER_AGENT: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
];

pub(super) const HACKER_ADJ: &[&str] = &[
    "auxiliary", "primary", "back-end", "digital", "open-source", "virtual", "cross-platform", "redundant",
    "online", "haptic", "multi-byte", "bluetooth", "wireless", "1080p", "neural", "optical", "solid state",
    "mobile",
];

pub(super) const HACKER_NOUN: &[&str] = &[
    "driver", "protocol", "bandwidth", "panel", "microchip", "program", "port", "card", "array", "interface",
    "system", "sensor", "firewall", "hard drive", "pixel", "alarm", "feed", "monitor", "application",
    "transmitter", "bus", "circuit", "capacitor", "matrix",
];

pub(super) const HACKER_VERB: &[&str] = &[
    "back up", "bypass", "hack", "override", "compress", "copy", "navigate", "index", "connect", "generate",
    "quantify", "calculate", "synthesize", "input", "transmit", "program", "reboot", "parse",
];

pub(super) const HACKER_ING: &[&str] = &[
    "backing up", "bypassing", "hacking", "overriding", "compressing", "copying", "navigating", "indexing",
    "connecting", "generating", "quantifying", "calculating", "synthesizing", "transmitting", "programming",
    "parsing",
];

pub(super) const JOB_AREA: &[&str] = &[
    "Solutions", "Program", "Brand", "Security", "Research", "Marketing", "Directives", "Implementation",
    "Integration", "Functionality", "Response", "Paradigm", "Tactics", "Identity", "Markets", "Group",
    "Division", "Applications", "Optimization", "Operations", "Infrastructure", "Intranet", "Communications",
    "Web", "Branding", "Quality", "Assurance", "Mobility", "Accounts", "Data", "Creative", "Configuration",
    "Accountability", "Interactions", "Factors", "Usability", "Metrics",
];

pub(super) const JOB_DESCRIPTOR: &[&str] = &[
    "Lead", "Senior", "Direct", "Corporate", "Dynamic", "Future", "Product", "National", "Regional",
    "District", "Central", "Global", "Customer", "Investor", "Dynamic", "International", "Legacy", "Forward",
    "Internal", "Human", "Chief", "Principal",
];

pub(super) const JOB_TYPE: &[&str] = &[
    "Supervisor", "Associate", "Executive", "Liaison", "Officer", "Manager", "Engineer", "Specialist",
    "Director", "Coordinator", "Administrator", "Architect", "Analyst", "Designer", "Planner", "Orchestrator",
    "Technician", "Developer", "Producer", "Consultant", "Assistant", "Facilitator", "Agent",
    "Representative", "Strategist",
];

pub(super) const ACCOUNT_NAME: &[&str] = &[
    "Checking Account", "Savings Account", "Money Market Account", "Investment Account", "Home Loan Account",
    "Credit Card Account", "Auto Loan Account", "Personal Loan Account",
];

pub(super) const TRANSACTION: &[&str] = &["deposit", "withdrawal", "payment", "invoice"];

pub(super) const CURRENCY_NAME: &[(&str, &str)] = &[
    ("Euro", "€"), ("US Dollar", "$"), ("Yen", "¥"), ("Pound Sterling", "£"), ("Swiss Franc", "CHF"),
    ("Indian Rupee", "₹"), ("Brazilian Real", "R$"), ("Swedish Krona", "kr"), ("Won", "₩"), ("Zloty", "zł"),
];

pub(super) const BS_ADJ: &[&str] = &[
    "clicks-and-mortar", "value-added", "vertical", "proactive", "robust", "revolutionary", "scalable",
    "leading-edge", "innovative", "intuitive", "strategic", "e-business", "mission-critical", "sticky",
    "one-to-one", "24/7", "end-to-end", "global", "B2B", "granular", "frictionless", "virtual", "viral",
    "dynamic", "real-time", "seamless", "magnetic", "holistic", "cross-platform",
];

pub(super) const BS_BUZZ: &[&str] = &[
    "implement", "utilize", "integrate", "streamline", "optimize", "evolve", "transform", "embrace", "enable",
    "orchestrate", "leverage", "reinvent", "aggregate", "architect", "enhance", "incentivize", "morph",
    "empower", "envisioneer", "monetize", "harness", "facilitate", "seize", "disintermediate", "synergize",
    "strategize", "deploy", "brand", "grow", "target", "syndicate", "synthesize", "deliver", "mesh",
    "incubate", "engage", "maximize", "benchmark", "expedite", "reintermediate", "whiteboard", "visualize",
    "repurpose", "innovate", "scale", "unleash", "drive", "extend", "engineer", "revolutionize", "generate",
    "exploit", "transition", "e-enable", "iterate", "cultivate", "matrix", "productize", "redefine",
    "recontextualize",
];

pub(super) const BS_NOUN: &[&str] = &[
    "synergies", "web-readiness", "paradigms", "markets", "partnerships", "infrastructures", "platforms",
    "initiatives", "channels", "eyeballs", "communities", "ROI", "solutions", "e-tailers", "e-services",
    "action-items", "portals", "niches", "technologies", "content", "vortals", "supply-chains", "convergence",
    "relationships", "architectures", "interfaces", "e-markets", "e-commerce", "systems", "bandwidth",
    "infomediaries", "models", "mindshare", "deliverables", "users", "schemas", "networks", "applications",
    "metrics", "e-business", "functionalities", "experiences", "web services", "methodologies",
];

pub(super) const CATCH_ADJ: &[&str] = &[
    "Adaptive", "Advanced", "Ameliorated", "Assimilated", "Automated", "Balanced", "Business-focused",
    "Centralized", "Cloned", "Compatible", "Configurable", "Cross-group", "Customer-focused", "Customizable",
    "Decentralized", "De-engineered", "Devolved", "Digitized", "Distributed", "Diverse", "Down-sized",
    "Enhanced", "Enterprise-wide", "Ergonomic", "Exclusive", "Expanded", "Extended", "Face to face",
    "Focused", "Front-line", "Fully-configurable", "Function-based", "Fundamental", "Future-proofed",
    "Grass-roots", "Horizontal", "Implemented", "Innovative", "Integrated", "Intuitive", "Inverse", "Managed",
    "Mandatory", "Monitored", "Multi-channelled", "Multi-lateral", "Multi-layered", "Networked",
    "Object-based", "Open-architected", "Open-source", "Operative", "Optimized", "Optional", "Organic",
    "Organized", "Persevering", "Persistent", "Phased", "Polarised", "Pre-emptive", "Proactive",
    "Profit-focused", "Profound", "Programmable", "Progressive", "Public-key", "Quality-focused", "Reactive",
    "Realigned", "Re-contextualized", "Re-engineered", "Reduced", "Reverse-engineered", "Right-sized",
    "Robust", "Seamless", "Secured", "Self-enabling", "Sharable", "Stand-alone", "Streamlined", "Switchable",
    "Synchronised", "Synergistic", "Synergized", "Team-oriented", "Total", "Triple-buffered", "Universal",
    "Up-sized", "Upgradable", "User-centric", "User-friendly", "Versatile", "Virtual", "Visionary",
    "Vision-oriented",
];

pub(super) const CATCH_DESCRIPTOR: &[&str] = &[
    "24 hour", "24/7", "3rd generation", "4th generation", "5th generation", "6th generation", "actuating",
    "analyzing", "asymmetric", "asynchronous", "attitude-oriented", "background", "bandwidth-monitored",
    "bi-directional", "bifurcated", "bottom-line", "clear-thinking", "client-driven", "client-server",
    "coherent", "cohesive", "composite", "context-sensitive", "contextually-based", "content-based",
    "dedicated", "demand-driven", "didactic", "directional", "discrete", "disintermediate", "dynamic",
    "eco-centric", "empowering", "encompassing", "even-keeled", "executive", "explicit", "exuding",
    "fault-tolerant", "foreground", "fresh-thinking", "full-range", "global", "grid-enabled", "heuristic",
    "high-level", "holistic", "homogeneous", "human-resource", "hybrid", "impactful", "incremental",
    "intangible", "interactive", "intermediate", "leading edge", "local", "logistical", "maximized",
    "methodical", "mission-critical", "mobile", "modular", "motivating", "multimedia", "multi-state",
    "multi-tasking", "national", "needs-based", "neutral", "next generation", "non-volatile",
    "object-oriented", "optimal", "optimizing", "radical", "real-time", "reciprocal", "regional",
    "responsive", "scalable", "secondary", "solution-oriented", "stable", "static", "systematic", "systemic",
    "system-worthy", "tangible", "tertiary", "transitional", "uniform", "upward-trending", "user-facing",
    "value-added", "web-enabled", "well-modulated", "zero administration", "zero defect", "zero tolerance",
];

pub(super) const CATCH_NOUN: &[&str] = &[
    "ability", "access", "adapter", "algorithm", "alliance", "analyzer", "application", "approach",
    "architecture", "archive", "artificial intelligence", "array", "attitude", "benchmark",
    "budgetary management", "capability", "capacity", "challenge", "circuit", "collaboration", "complexity",
    "concept", "conglomeration", "contingency", "core", "customer loyalty", "database", "data-warehouse",
    "definition", "emulation", "encoding", "encryption", "extranet", "firmware", "flexibility", "focus group",
    "forecast", "frame", "framework", "function", "functionalities", "Graphic Interface", "groupware",
    "Graphical User Interface", "hardware", "help-desk", "hierarchy", "hub", "implementation",
    "info-mediaries", "infrastructure", "initiative", "installation", "instruction set", "interface",
    "internet solution", "intranet", "knowledge user", "knowledge base", "local area network", "leverage",
    "matrices", "matrix", "methodology", "middleware", "migration", "model", "moderator", "monitoring",
    "moratorium", "neural-net", "open architecture", "open system", "orchestration", "paradigm",
    "parallelism", "policy", "portal", "pricing structure", "process improvement", "product", "productivity",
    "project", "projection", "protocol", "secured line", "service-desk", "software", "solution",
    "standardization", "strategy", "structure", "success", "superstructure", "support", "synergy",
    "system engine", "task-force", "throughput", "time-frame", "toolset", "utilisation", "website",
    "workforce",
];

pub(super) const DB_COLUMN: &[&str] = &[
    "id", "title", "name", "email", "phone", "token", "group", "category", "password", "comment", "avatar",
    "status", "createdAt", "updatedAt",
];

pub(super) const DB_TYPE: &[&str] = &[
    "int", "varchar", "text", "date", "datetime", "tinyint", "time", "timestamp", "smallint", "mediumint",
    "bigint", "decimal", "float", "double", "real", "bit", "boolean", "serial", "blob", "binary", "enum",
    "set", "geometry", "point",
];

pub(super) const DB_COLLATION: &[&str] = &[
    "utf8_unicode_ci", "utf8_general_ci", "utf8_bin", "ascii_bin", "ascii_general_ci", "cp1250_bin",
    "cp1250_general_ci",
];

pub(super) const DB_ENGINE: &[&str] = &["InnoDB", "MyISAM", "Memory", "CSV", "BLACKHOLE", "ARCHIVE"];

pub(super) const PRODUCT_MATERIAL: &[&str] = &[
    "Steel", "Wooden", "Concrete", "Plastic", "Cotton", "Granite", "Rubber", "Metal", "Soft", "Fresh",
    "Frozen",
];

pub(super) const FILE_TYPE: &[&str] = &[
    "application", "audio", "font", "image", "message", "model", "multipart", "text", "video",
];

pub(super) const COMMON_FILE_TYPE: &[&str] = &["video", "audio", "image", "text", "application"];

pub(super) const DIRECTORY: &[&str] = &[
    "/Applications", "/bin", "/boot", "/dev", "/etc", "/etc/mail", "/home", "/home/user", "/home/user/dir",
    "/lib", "/Library", "/media", "/mnt", "/net", "/opt", "/opt/bin", "/opt/lib", "/private", "/private/tmp",
    "/private/var", "/proc", "/root", "/sbin", "/srv", "/sys", "/System", "/tmp", "/Users", "/usr",
    "/usr/bin", "/usr/lib", "/usr/local/bin", "/usr/share", "/var", "/var/log", "/var/mail", "/var/tmp",
];

pub(super) const IMAGE_CATEGORY: &[(&str, &str)] = &[
    ("$randomAbstractImage", "abstract"), ("$randomAnimalsImage", "animals"),
    ("$randomBusinessImage", "business"), ("$randomCatsImage", "cats"), ("$randomCityImage", "city"),
    ("$randomFoodImage", "food"), ("$randomNightlifeImage", "nightlife"), ("$randomFashionImage", "fashion"),
    ("$randomPeopleImage", "people"), ("$randomNatureImage", "nature"), ("$randomSportsImage", "sports"),
    ("$randomTransportImage", "transport"),
];
