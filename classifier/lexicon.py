"""A curated lexicon of topic phrases per label, from the label definitions (docs/LABELS.md).

Each label's phrases are counted in a paragraph and the count becomes one feature beside the TF-IDF terms, weighed by
the regression like any other. The lexicon carries domain knowledge to wordings the training data never used; it is
saved inside every model, so a model always scores with the lexicon it was trained with.
"""

LEXICON: dict[str, list[str]] = {
    "data_access": [
        "personal data", "personal details", "personal information", "sensitive data", "sensitive information",
        "private data", "customer data", "customer records", "patient records", "medical records", "health records",
        "tax records", "taxpayer data", "taxpayer information", "taxpayer records", "bank details",
        "account details", "account numbers", "credit card numbers", "card details", "social security numbers",
        "national insurance numbers", "dates of birth", "home addresses", "personnel records", "personnel files",
        "database", "databases", "data breach", "data breaches", "security breach", "breach of data",
        "data protection", "data protection act", "information commissioner", "privacy", "privacy watchdog",
        "privacy campaigners", "privacy rules", "privacy concerns", "privacy risks", "civil liberties",
        "hacked", "hacker", "hackers", "hacking", "cyber attack", "cyberattack", "stolen data", "stole data",
        "data was stolen", "leaked", "leak of", "data leak", "phishing", "spyware", "adware", "identity theft",
        "identity fraud", "id fraud", "surveillance", "wiretap", "wiretaps", "phone tap", "phone tapping",
        "intercept evidence", "intercepts", "snooping", "monitoring employees", "id card", "id cards",
        "identity card", "identity cards", "national identity register", "national register", "biometric",
        "biometrics", "fingerprints", "facial recognition", "iris scans", "dna database", "data sharing",
        "share data", "sharing of data", "access to the data", "access to records", "access to the database",
        "access to the system", "read access", "security clearance", "clearances", "encrypted", "encryption",
        "unencrypted", "records of millions", "information of millions", "data of millions",
    ],
    "layoffs": [
        "lay off", "lays off", "laying off", "laid off", "layoff", "layoffs", "job cuts", "job losses",
        "jobs cut", "cut jobs", "cutting jobs", "cut posts", "jobs will go", "jobs are to go", "jobs to go",
        "axe jobs", "axing jobs", "jobs axed", "shed jobs", "shedding jobs", "shed staff", "shed posts",
        "redundancies", "redundancy", "made redundant", "compulsory redundancies", "voluntary redundancy",
        "job reductions", "reduction in force", "reductions in force", "workforce reduction", "headcount",
        "cut its workforce", "cut the workforce", "shrink its workforce", "shrink the workforce",
        "downsizing", "furlough", "furloughs", "furloughed", "buyout offers", "buyouts", "early retirement",
        "deferred resignation", "hiring freeze", "administrative leave", "probationary employees",
        "probationary workers", "probationary staff", "staff cuts", "staff reductions", "cut staff",
        "workers were sacked", "sacked workers", "dismissed workers", "mass dismissals", "plant closure",
        "plant closures", "factory closure", "factory closures", "close the plant", "close the factory",
        "closure of the plant", "lose their jobs", "lost their jobs", "loss of jobs", "jobs at risk",
        "posts will be cut", "cost cutting", "cost-cutting", "restructuring", "reinstated", "reinstatement",
        "rehire", "rehired",
    ],
    "litigation": [
        "lawsuit", "lawsuits", "sued", "sues", "suing", "sue", "filed suit", "class action", "legal action",
        "legal fight", "legal battle", "legal challenge", "legal case", "court", "courts", "high court",
        "supreme court", "appeals court", "court of appeal", "federal court", "district court", "tribunal",
        "judge", "judges", "ruled", "ruling", "rulings", "injunction", "restraining order", "court order",
        "ordered by the court", "appeal", "appealed", "appeals", "trial", "trials", "jury", "verdict",
        "convicted", "acquitted", "pleaded guilty", "pleaded not guilty", "guilty", "sentenced", "prosecutors",
        "prosecution", "prosecuted", "charged with", "faces charges", "facing charges", "criminal charges",
        "indicted", "indictment", "settlement", "settle", "settled", "to settle", "damages", "plaintiff",
        "plaintiffs", "defendant", "defendants", "lawyers for", "attorney general", "attorneys general",
        "litigation", "court case", "extradition", "bankruptcy court", "contempt of court",
    ],
    "funding": [
        "funding", "funded", "funds", "fund", "grant", "grants", "budget", "budgets", "spending",
        "public spending", "spending cuts", "spending plans", "spending review", "appropriations",
        "appropriated", "appropriation", "allocated", "allocation", "aid", "foreign aid", "aid budget",
        "debt relief", "write off debts", "debt write off", "bailout", "bail out", "bailed out", "rescue package",
        "state aid", "subsidy", "subsidies", "subsidised", "subsidized", "loan", "loans", "donation",
        "donations", "donated", "donor", "donors", "fundraising", "raised money", "raise money", "pledged",
        "pledges", "pledge", "investment in", "invest in", "to invest", "billion investment", "funding round",
        "venture capital", "investors led", "series a", "contract awarded", "contracts cancelled",
        "cancelled contracts", "claw back", "clawed back", "freeze on grants", "funding freeze", "frozen funds",
        "withheld", "withhold", "taxpayers money", "public money",
        "lottery money", "endowment", "philanthropist", "charity appeal", "cash injection",
    ],
}
