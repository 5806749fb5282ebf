"""Words for the benchmark corpus: a small medical-ish vocabulary the generator composes sentences from.

Real patient-information pages repeat a few hundred words (conditions, tests, treatments, people, body
parts) in plain sentences. Lorem ipsum would tokenise differently (no citations, no links, unnatural word
lengths), so the corpus is built from these lists instead. Changing any list changes every generated
corpus: do it only with a note in the benchmark results.
"""

from __future__ import annotations

# Topics: a few dozen, as a large patient-information site has. Each condition below names one.
TOPICS: tuple[tuple[str, str], ...] = (
    ("Heart health", "Blood pressure, cholesterol, heart rhythm and how to look after your heart."),
    ("Diabetes", "Living with type 1 and type 2 diabetes, blood sugar and check-ups."),
    ("Asthma", "Inhalers, triggers and what to do when breathing gets worse."),
    ("Arthritis", "Joint pain, stiffness and the treatments that help you keep moving."),
    ("Kidney health", "How the kidneys work, kidney tests and chronic kidney disease."),
    ("Pregnancy", "Antenatal care, scans and looking after yourself before and after birth."),
    ("Child health", "Common illnesses in babies and children, and when to get help."),
    ("Mental health", "Anxiety, low mood and the support that is available."),
    ("Sleep", "Sleep problems, sleep apnoea and habits that help you rest."),
    ("Skin conditions", "Eczema, psoriasis and other skin problems."),
    ("Cancer screening", "Screening tests, what results mean and what happens next."),
    ("Medicines", "Taking medicines safely, side effects and interactions."),
    ("Vaccines", "Which vaccines you are offered, and why."),
    ("Surgery", "Getting ready for an operation and recovering afterwards."),
    ("Pain", "Long-term pain and the ways to manage it."),
    ("Nutrition", "Eating well, weight and special diets."),
    ("Physical activity", "Moving more safely, whatever your fitness."),
    ("Older adults", "Staying well and independent in later life."),
    ("Eye health", "Eye tests, sight problems and eye conditions."),
    ("Hearing", "Hearing tests, hearing aids and tinnitus."),
    ("Dental health", "Teeth, gums and dental treatment."),
    ("Infections", "Common infections, antibiotics and when they are needed."),
    ("Allergies", "Allergy tests, reactions and how to treat them."),
    ("Digestive health", "Stomach, bowel and digestion problems."),
    ("Liver health", "How the liver works and the conditions that affect it."),
    ("Lung health", "Breathing tests and long-term lung conditions."),
    ("Bone health", "Osteoporosis, fractures and keeping bones strong."),
    ("Stroke", "Signs of a stroke, treatment and recovery."),
    ("Dementia", "Memory problems, diagnosis and support for families."),
    ("Epilepsy", "Seizures, medicines and staying safe."),
    ("Migraine", "Headache and migraine, triggers and treatments."),
    ("Blood tests", "Why blood tests are done and what the results mean."),
    ("Imaging", "X-rays, ultrasound, CT and MRI scans."),
    ("Palliative care", "Care and comfort for people with a serious illness."),
    ("Sexual health", "Contraception, testing and sexual health services."),
    ("Men's health", "Prostate, testicular and other health topics for men."),
)

# (condition, topic name): the condition an article is about and the topic it belongs to first.
CONDITIONS: tuple[tuple[str, str], ...] = (
    ("high blood pressure", "Heart health"), ("atrial fibrillation", "Heart health"),
    ("heart failure", "Heart health"), ("type 2 diabetes", "Diabetes"), ("type 1 diabetes", "Diabetes"),
    ("gestational diabetes", "Pregnancy"), ("asthma", "Asthma"), ("osteoarthritis", "Arthritis"),
    ("rheumatoid arthritis", "Arthritis"), ("gout", "Arthritis"), ("chronic kidney disease", "Kidney health"),
    ("kidney stones", "Kidney health"), ("pre-eclampsia", "Pregnancy"), ("bronchiolitis", "Child health"),
    ("croup", "Child health"), ("anxiety", "Mental health"), ("depression", "Mental health"),
    ("insomnia", "Sleep"), ("sleep apnoea", "Sleep"), ("eczema", "Skin conditions"),
    ("psoriasis", "Skin conditions"), ("bowel cancer", "Cancer screening"), ("breast cancer", "Cancer screening"),
    ("cervical cancer", "Cancer screening"), ("shingles", "Vaccines"), ("influenza", "Vaccines"),
    ("hernia", "Surgery"), ("gallstones", "Surgery"), ("back pain", "Pain"), ("sciatica", "Pain"),
    ("iron deficiency", "Nutrition"), ("coeliac disease", "Nutrition"), ("falls", "Older adults"),
    ("cataracts", "Eye health"), ("glaucoma", "Eye health"), ("tinnitus", "Hearing"),
    ("gum disease", "Dental health"), ("urinary tract infection", "Infections"), ("cellulitis", "Infections"),
    ("hay fever", "Allergies"), ("food allergy", "Allergies"), ("irritable bowel syndrome", "Digestive health"),
    ("acid reflux", "Digestive health"), ("fatty liver disease", "Liver health"), ("COPD", "Lung health"),
    ("osteoporosis", "Bone health"), ("stroke", "Stroke"), ("dementia", "Dementia"), ("epilepsy", "Epilepsy"),
    ("migraine", "Migraine"), ("anaemia", "Blood tests"), ("thyroid problems", "Blood tests"),
    ("prostate enlargement", "Men's health"), ("chlamydia", "Sexual health"),
)

# Title frames: "{c}" is the condition. Together with the qualifiers they give every article its own title.
TITLE_FRAMES: tuple[str, ...] = (
    "What is {c}?", "Living with {c}", "How {c} is diagnosed", "Treatments for {c}", "Medicines for {c}",
    "Tests for {c}", "Your first appointment about {c}", "Questions to ask about {c}", "Exercise and {c}",
    "Eating well with {c}", "Sleep and {c}", "Work and {c}", "Travelling with {c}", "Caring for someone with {c}",
    "When {c} gets worse", "Preventing {c}", "Understanding your {c} results", "Surgery for {c}",
    "Recovering from {c}", "Long-term outlook for {c}", "Myths about {c}", "Getting support for {c}",
    "Managing flare-ups of {c}", "Monitoring {c} at home", "Talking to your family about {c}",
)
QUALIFIERS: tuple[str, ...] = (
    "", "in children", "in older adults", "during pregnancy", "in teenagers", "after a hospital stay",
    "for carers", "in men", "in women", "for new patients", "at work", "in primary care",
)

PEOPLE: tuple[str, ...] = (
    "your GP", "your nurse", "a specialist nurse", "your pharmacist", "the consultant", "a physiotherapist",
    "a dietitian", "your care team", "an occupational therapist", "a midwife", "a health visitor",
    "the radiographer", "the surgeon", "a psychologist", "your specialist",
)
PATIENTS: tuple[str, ...] = (
    "Many people", "Some people", "Most adults", "Older people", "Children", "People with other conditions",
    "Around one in five people", "A few people", "People who smoke", "Women", "Men", "Carers",
)
TESTS: tuple[str, ...] = (
    "a blood test", "a urine test", "an ultrasound scan", "an MRI scan", "a CT scan", "an X-ray",
    "a blood pressure check", "an ECG", "a breathing test", "a skin prick test", "a biopsy", "an eye test",
    "a hearing test", "a bone density scan", "a stool test", "a swab",
)
TREATMENTS: tuple[str, ...] = (
    "tablets", "an inhaler", "a cream", "physiotherapy", "a short course of antibiotics", "talking therapy",
    "a change in diet", "regular exercise", "an injection", "a small operation", "pain relief",
    "a support group", "a care plan", "stopping smoking", "a referral to a specialist", "a sleep diary",
)
SYMPTOMS: tuple[str, ...] = (
    "tiredness", "pain", "swelling", "a cough", "shortness of breath", "itching", "dizziness", "headaches",
    "poor sleep", "a high temperature", "weight loss", "low mood", "stiffness", "numbness", "nausea",
    "blurred vision", "a rash", "chest tightness",
)
BODY_PARTS: tuple[str, ...] = (
    "heart", "lungs", "kidneys", "liver", "joints", "skin", "blood vessels", "bones", "muscles", "nerves",
    "bladder", "bowel", "eyes", "ears", "brain", "stomach",
)
VERBS: tuple[str, ...] = (
    "can affect", "may change", "often improves", "can reduce", "usually helps with", "can make worse",
    "may protect", "is linked with", "can ease", "may lower the risk of", "does not always cause",
    "can be a sign of",
)
ADVERBS: tuple[str, ...] = (
    "usually", "often", "sometimes", "in most cases", "for many people", "over time", "at first",
    "after a few weeks", "in the long term", "straight away",
)
TIMES: tuple[str, ...] = (
    "a few days", "two weeks", "a month", "three months", "six months", "a year", "several years",
)
LINK_PHRASES: tuple[str, ...] = (
    "You can read more in", "There is more about this in", "See also", "This is explained in",
    "For the details, read", "More is in",
)
SECTION_HEADINGS: tuple[str, ...] = (
    "What causes it", "Common symptoms", "When to see a doctor", "Tests you may have", "How it is treated",
    "Medicines and side effects", "Looking after yourself", "Living day to day", "Risks and complications",
    "Who is more likely to get it", "What the research shows", "Support for families", "Planning ahead",
    "Working with your care team", "What happens at follow-up", "Diet and exercise", "Your rights and choices",
    "Getting a second opinion",
)
SUBHEADINGS: tuple[str, ...] = (
    "Before your appointment", "On the day", "Afterwards", "If things change", "At home", "At work",
    "Questions people ask",
)
TABLE_HEADERS: tuple[tuple[str, str, str], ...] = (
    ("Test", "What it shows", "How long it takes"),
    ("Treatment", "How it helps", "Common side effects"),
    ("Symptom", "What it may mean", "What to do"),
)
SURNAMES: tuple[str, ...] = (
    "Smith", "Jones", "Patel", "Okafor", "Nguyen", "Garcia", "Muller", "Rossi", "Kowalski", "Andersen",
    "Tanaka", "Kim", "Haddad", "Murphy", "O'Brien", "Silva", "Cohen", "Novak", "Larsen", "Ahmed", "Chen",
    "Dubois", "Fischer", "Ivanova", "Jensen", "Khan", "Lopez", "Moreau", "Nakamura", "Osei", "Pereira",
    "Quinn", "Reyes", "Schmidt", "Takahashi", "Usman", "Virtanen", "Wang", "Yilmaz", "Zhou",
)
JOURNALS: tuple[tuple[str, str], ...] = (
    ("The Lancet", "Lancet"), ("BMJ", "BMJ"), ("New England Journal of Medicine", "N Engl J Med"),
    ("JAMA", "JAMA"), ("Annals of Internal Medicine", "Ann Intern Med"),
    ("British Journal of General Practice", "Br J Gen Pract"), ("Cochrane Database of Systematic Reviews",
                                                              "Cochrane Database Syst Rev"),
    ("Journal of Clinical Medicine", "J Clin Med"), ("Patient Education and Counseling", "Patient Educ Couns"),
    ("Health Expectations", "Health Expect"), ("Family Practice", "Fam Pract"),
    ("BMC Medicine", "BMC Med"), ("Archives of Disease in Childhood", "Arch Dis Child"),
    ("Age and Ageing", "Age Ageing"),
)
STUDY_KINDS: tuple[str, ...] = (
    "a randomised controlled trial", "a systematic review and meta-analysis", "a cohort study",
    "a cross-sectional study", "a qualitative study", "a national audit", "a clinical guideline",
    "a pragmatic trial",
)
TEAMS: tuple[str, ...] = (
    "Patient information team", "Primary care editorial group", "Specialist nursing team",
    "Clinical content team", "Community health team",
)
REVIEWERS: tuple[str, ...] = (
    "Dr A Patel, consultant physician", "Dr M Okafor, general practitioner", "S Jensen, specialist nurse",
    "Dr L Chen, consultant paediatrician", "R Silva, senior pharmacist", "Dr K Murphy, consultant surgeon",
    "Clinical review panel",
)
AUDIENCES: tuple[str, ...] = (
    "Adults who have just been diagnosed, and their families",
    "Parents and carers of children",
    "Anyone waiting for a test or an appointment",
    "People living with a long-term condition",
    "Carers and family members",
)
