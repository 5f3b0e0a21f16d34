"""A curated lexicon of topic phrases per label, from the label definitions (docs/LABELS.md).

Each label's phrases are counted in a paragraph and the count becomes one feature beside the TF-IDF terms, weighed by
the regression like any other. The lexicon carries domain knowledge to wordings the training data never used, so it
holds only phrases that nearly always mean the topic in news: words with common other senses ("court", "trial",
"budget", "aid", "fund", "surveillance") are left to the TF-IDF terms, which see their context. It is saved inside
every model, so a model always scores with the lexicon it was trained with.
"""

LEXICON: dict[str, list[str]] = {
    "data_access": [
        "personal data", "personal details", "personal information", "customer data", "customer records",
        "patient records", "medical records", "health records", "tax records", "taxpayer data",
        "taxpayer information", "taxpayer records", "bank details", "account details", "credit card numbers",
        "card details", "social security numbers", "national insurance numbers", "personnel records",
        "personnel files", "data breach", "data breaches", "breach of data", "data protection",
        "information commissioner", "data protection authority", "privacy watchdog", "privacy campaigners",
        "privacy concerns", "privacy risks", "privacy advocates", "invasion of privacy", "right to privacy",
        "hackers stole", "stolen data", "data was stolen", "records were stolen", "data leak", "leaked data",
        "phishing", "spyware", "identity theft", "identity fraud", "phone tapping", "phone taps", "wiretaps",
        "wiretapping", "intercept evidence", "identity cards", "identity card", "id cards", "national identity register",
        "biometric data", "biometric details", "fingerprint data", "facial recognition", "dna database",
        "data sharing", "share data", "data sharing agreement", "access to the database", "access to records",
        "access to the records", "access to personal", "records of millions", "data of millions",
        "unencrypted", "security clearance", "snooping",
    ],
    "layoffs": [
        "lay off", "lays off", "laying off", "laid off", "layoff", "layoffs", "job cuts", "job losses",
        "jobs cut", "cut jobs", "cutting jobs", "jobs will go", "jobs are to go", "jobs to go", "axe jobs",
        "axing jobs", "jobs axed", "shed jobs", "shedding jobs", "shed staff", "redundancies", "made redundant",
        "compulsory redundancies", "voluntary redundancy", "job reductions", "reduction in force",
        "reductions in force", "workforce reduction", "cut its workforce", "shrink its workforce", "downsizing",
        "furlough", "furloughs", "furloughed", "buyout offers", "deferred resignation", "hiring freeze",
        "administrative leave", "probationary employees", "probationary workers", "staff cuts", "staff reductions",
        "mass dismissals", "plant closure", "factory closure", "lose their jobs", "lost their jobs", "loss of jobs",
        "jobs at risk", "posts will be cut", "posts will go",
    ],
    "litigation": [
        "lawsuit", "lawsuits", "sued", "sues", "suing", "filed suit", "class action", "legal action",
        "legal fight", "legal battle", "legal challenge", "high court", "supreme court", "appeals court",
        "court of appeal", "federal court", "district court", "federal judge", "the judge", "judge ruled",
        "court ruled", "court ruling", "injunction", "restraining order", "court order", "jury", "verdict",
        "convicted", "acquitted", "pleaded guilty", "pleaded not guilty", "prosecutors", "prosecution",
        "criminal charges", "faces charges", "facing charges", "indicted", "indictment", "plaintiff",
        "plaintiffs", "defendants", "lawyers for", "attorney general", "attorneys general", "litigation",
        "court case", "extradition", "bankruptcy court", "contempt of court", "settle the case", "settle charges",
        "out of court", "damages claim",
    ],
    "funding": [
        "funding", "grants", "grant funding", "public spending", "spending cuts", "spending plans",
        "spending review", "budget cuts", "budget deficit", "appropriations", "foreign aid", "aid budget",
        "development aid", "aid to", "debt relief", "write off debts", "bailout", "bail out", "bailed out",
        "rescue package", "rescue deal", "state aid", "subsidy", "subsidies", "donations", "donated",
        "fundraising", "raise money", "raised money", "funding round", "venture capital", "cash injection",
        "contract awarded", "cancelled contracts", "claw back", "clawed back", "funding freeze", "frozen funds",
        "taxpayers money", "public money", "lottery money", "public funds", "spending on", "investment deal",
        "infusion of funds", "infusion of cash", "cash infusion", "capital infusion", "clawing back", "claws back",
        "rescission", "rescinded funds", "earmarked", "federal funds", "federal dollars", "continuing resolution",
        "billion investment", "million investment", "government money", "emergency funds", "relief funds",
    ],
}
