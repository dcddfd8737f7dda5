//! The demo company's cast: Northwind Robotics, its CEO, her EP, board, directs and contacts.

pub struct Person {
    pub name: &'static str,
    pub address: &'static str,
}

pub const DANA: Person = Person { name: "Dana Okafor", address: "dana.okafor@northwind.example" };
pub const SAM_EP: Person = Person { name: "Sam Rivera", address: "sam.rivera@northwind.example" };

pub const BOARD: &[Person] = &[
    Person { name: "Eleanor Vance", address: "eleanor@vanceholdings.example" },
    Person { name: "Raj Malhotra", address: "raj@summitpeak.example" },
    Person { name: "Helen Brooks", address: "hbrooks@brooksadvisory.example" },
];

pub const DIRECTS: &[Person] = &[
    Person { name: "Priya Shah", address: "priya.shah@northwind.example" },
    Person { name: "Tomas Alvarez", address: "tomas.alvarez@northwind.example" },
    Person { name: "Marcus Bell", address: "marcus.bell@northwind.example" },
    Person { name: "Grace Kim", address: "grace.kim@northwind.example" },
    Person { name: "Daniel Osei", address: "daniel.osei@northwind.example" },
];

/// Directs by role, for readable generator code.
pub const CFO: &Person = &DIRECTS[0];
pub const CTO: &Person = &DIRECTS[1];
pub const COO: &Person = &DIRECTS[2];
pub const CHRO: &Person = &DIRECTS[3];
pub const GC: &Person = &DIRECTS[4];

pub const KEY_CUSTOMERS: &[Person] = &[
    Person { name: "Ava Thompson", address: "ava.thompson@contoso.example" },
    Person { name: "Henrik Larsen", address: "henrik.larsen@fabrikam.example" },
];

pub const COLLEAGUES: &[Person] = &[
    Person { name: "Olivia Chen", address: "olivia.chen@northwind.example" },
    Person { name: "Ben Adler", address: "ben.adler@northwind.example" },
    Person { name: "Fatima Noor", address: "fatima.noor@northwind.example" },
    Person { name: "Luis Ortega", address: "luis.ortega@eu.northwind.example" },
    Person { name: "Hannah Weiss", address: "hannah.weiss@northwind.example" },
    Person { name: "Kenji Watanabe", address: "kenji.watanabe@northwind.example" },
];

pub const VENDORS: &[Person] = &[
    Person { name: "Jordan Blake", address: "jordan@acmeanalytics.example" },
    Person { name: "Mia Rossi", address: "mia.rossi@peakconsulting.example" },
    Person { name: "Events Team", address: "events@roboticssummit.example" },
    Person { name: "Chris Young", address: "cyoung@talentbridge.example" },
];

pub const NEWSLETTERS: &[Person] = &[
    Person { name: "Robotics Weekly", address: "news@roboticsweekly.example" },
    Person { name: "Morning Markets", address: "briefing@morningmarkets.example" },
    Person { name: "Connectly", address: "notifications@connectly.example" },
    Person { name: "SaaS Digest", address: "digest@saasdigest.example" },
];

pub const PRESS: Person = Person { name: "Nora Patel", address: "nora.patel@businessdaily.example" };
