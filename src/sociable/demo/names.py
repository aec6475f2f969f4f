"""Name banks and small word lists for the demo store's people (our own lists)."""
from __future__ import annotations

FEMALE = (
    "Mary", "Patricia", "Linda", "Barbara", "Elizabeth", "Jennifer", "Susan", "Margaret",
    "Dorothy", "Lisa", "Nancy", "Karen", "Helen", "Sandra", "Donna", "Carol", "Ruth", "Sharon",
    "Michelle", "Laura", "Sarah", "Kimberly", "Deborah", "Jessica", "Shirley", "Cynthia",
    "Angela", "Melissa", "Brenda", "Amy", "Anna", "Rebecca", "Virginia", "Kathleen", "Pamela",
    "Martha", "Debra", "Amanda", "Stephanie", "Carolyn", "Christine", "Marie", "Janet",
    "Catherine", "Frances", "Ann", "Joyce", "Diane", "Alice", "Julie", "Heather", "Teresa",
    "Doris", "Gloria", "Evelyn", "Jean", "Cheryl", "Mildred", "Emily", "Megan", "Olivia",
    "Sophia", "Chloe", "Hannah", "Grace", "Zoë", "Camila", "Lucía", "Ananya", "Mei", "Yasmin",
    "Fatima", "Imani", "Keisha", "Ingrid", "Siobhan", "Colleen", "Bridget", "Rosa", "Guadalupe",
    "Hyun-joo", "Thu", "Leilani", "Noor", "Esther", "Miriam", "Tamar", "Natalia", "Gabriela",
)
MALE = (
    "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas",
    "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Donald", "Mark", "Paul",
    "Steven", "Andrew", "Kenneth", "Joshua", "Kevin", "Brian", "George", "Edward", "Ronald",
    "Timothy", "Jason", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Stephen",
    "Jonathan", "Larry", "Justin", "Scott", "Frank", "Brandon", "Raymond", "Gregory", "Samuel",
    "Patrick", "Jack", "Dennis", "Jerry", "Walter", "Peter", "Harold", "Douglas", "Henry",
    "Carl", "Arthur", "Roger", "Joe", "Juan", "José", "Luis", "Carlos", "Diego",
    "Hiroshi", "Kenji", "Wei", "Minh", "Arjun", "Rahul", "Omar", "Tariq", "Kwame", "DeShawn",
    "Malik", "Declan", "Seamus", "Liam", "Noah", "Ethan", "Mateo", "Dmitri", "Anton", "Yusuf",
    "Ezra", "Levi", "Sven", "Lars",
)
LAST = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green",
    "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips",
    "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook",
    "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard",
    "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "Hughes",
    "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "Sullivan", "Fitzgerald", "Doyle",
    "Callahan", "McCarthy", "O'Brien", "O'Connor", "Donnelly", "Russo", "Esposito", "Romano",
    "Ferraro", "DeLuca", "Marino", "Greco", "Kowalczyk", "Nowak", "Wiśniewski", "Novak",
    "Schmidt", "Becker", "Hoffmann", "Larsen", "Johansson", "Nguyen", "Tran", "Pham", "Kim",
    "Park", "Lee", "Chen", "Wang", "Liu", "Tanaka", "Sato", "Patel", "Shah", "Singh", "Kapoor",
    "Iyer", "Khan", "Haddad", "Nasser", "Cohen", "Levy", "Friedman", "Goldberg", "Hernández",
    "Gómez", "Ramirez", "Torres", "Flores", "Rivera", "Morales", "Ortiz", "Castillo", "Silva",
    "Santos", "Pereira", "Okonkwo", "Mensah", "Adeyemi", "Baptiste", "Pierre", "Dubois",
    "Laurent", "Petrov", "Ivanova", "Popescu", "Horvat", "Kaplan", "Yilmaz", "Demir",
)

# Book name -> how a person might sign online.
NICKNAMES = {
    "Elizabeth": "Liz", "Margaret": "Peggy", "Katherine": "Kathy", "Kathleen": "Kathy",
    "Patricia": "Trish", "Jennifer": "Jen", "Deborah": "Deb", "Debra": "Deb", "Susan": "Sue",
    "Rebecca": "Becky", "Pamela": "Pam", "Christine": "Chris", "Stephanie": "Steph",
    "Kimberly": "Kim", "Cynthia": "Cindy", "Robert": "Bob", "William": "Bill",
    "Michael": "Mike", "Richard": "Rick", "Joseph": "Joe", "Thomas": "Tom", "James": "Jim",
    "Christopher": "Chris", "Daniel": "Dan", "Anthony": "Tony", "Jonathan": "Jon",
    "Nicholas": "Nick", "Gregory": "Greg", "Samuel": "Sam", "Edward": "Ed", "Timothy": "Tim",
    "Kenneth": "Ken", "Raymond": "Ray", "Matthew": "Matt", "Leonard": "Lenny",
    "Douglas": "Doug", "Stephen": "Steve", "Steven": "Steve", "Frances": "Fran",
}

TAGS = (
    "watch-collector", "bridal", "pearls", "engraving", "repairs", "vintage", "estate",
    "gold", "silver", "gifts", "layaway", "custom", "diamonds", "gemstones", "mens",
    "charm-bracelet", "appraisal", "birthstones", "holiday-shopper", "referral",
)

CITIES = ("Florida", "Arizona", "Boston", "Vermont", "the Carolinas", "Ohio", "Maine")

WATCHES = ("Omega Seamaster", "Seiko 5", "Rolex Datejust", "Tudor Black Bay", "Bulova",
           "Hamilton Khaki", "Timex Marlin", "Longines", "Tissot PRX", "Cartier Tank")

INSTANCES = ("mastodon.social", "mastodon.social", "mstdn.social", "hachyderm.io", "mas.to",
             "fosstodon.org", "mastodon.online")

STRANGER_BRANDS = (
    "Main St Bakery", "Harbor Florist", "Elm Street Yoga", "Tidewater Realty", "Sunset Photo Co",
    "The Book Nook", "Coastal Coffee", "Shoreline Bridal", "Little Paws Grooming",
    "Riverside Wine Bar", "Old Town Barber", "Maple & Co Boutique",
)
