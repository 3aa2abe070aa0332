/** The words fictional records are made of, as SQL arrays, and a deterministic way to pick from them. */

export const FAMILY_NAMES = `ARRAY['Smith','Jones','Taylor','Brown','Williams','Wilson','Johnson','Davies','Patel','Robinson',
  'Wright','Thompson','Evans','Walker','White','Roberts','Green','Hall','Thomas','Clarke','Jackson','Wood','Harris',
  'Edwards','Turner','Martin','Cooper','Hill','Ward','Hughes','Moore','Clark','King','Harrison','Lewis','Baker',
  'Lee','Allen','Morris','Khan','Scott','Watson','Davis','Parker','James','Bennett','Young','Phillips','Richardson',
  'Mitchell','Bailey','Carter','Cook','Singh','Shaw','Bell','Collins','Morgan','Kelly','Begum','Miller','Cox',
  'Hussain','Marshall','Simpson','Price','Anderson','Adams','Wilkinson','Ali','Ahmed','Foster','Ellis','Murphy',
  'Chapman','Mason','Gray','Richards','Webb','Griffiths','Hunt','Palmer','Campbell','Holmes','Mills','Rogers',
  'Barnes','Knight','Matthews','Barker','Powell','Stevens','Kaur','Fisher','Butler','Dixon','Russell','Harvey',
  'Pearson','Okafor']`;
export const GIVEN_NAMES = `ARRAY['Oliver','Amelia','George','Isla','Harry','Ava','Noah','Mia','Jack','Ivy','Leo','Lily',
  'Arthur','Isabella','Muhammad','Rosie','Oscar','Sophia','Charlie','Grace','Jacob','Freya','Thomas','Florence',
  'Henry','Willow','Freddie','Emily','Alfie','Ella','Theo','Poppy','William','Evie','Theodore','Elsie','Archie',
  'Charlotte','Joshua','Evelyn','Alexander','Sienna','James','Sofia','Isaac','Daisy','Tommy','Phoebe','Ethan',
  'Sophie','Kai','Aisha','Ibrahim','Zara','Lucas','Maya','Samuel','Hannah','Finley','Ruby']`;
export const CATEGORIES = `ARRAY['CRIMINAL_EXPLOITATION','CRIMINAL_EXPLOITATION','COUNTY_LINES','SEXUAL_EXPLOITATION','TRAFFICKING',
  'LABOUR_EXPLOITATION','GANG_AFFILIATION','MISSING_FROM_HOME','MISSING_FROM_HOME','MISSING_FROM_EDUCATION',
  'ONLINE_HARM','ONLINE_HARM','NEGLECT','NEGLECT','NEGLECT','PHYSICAL_ABUSE','EMOTIONAL_ABUSE','SEXUAL_ABUSE',
  'DOMESTIC_ABUSE','DOMESTIC_ABUSE','RADICALISATION','SUBSTANCE_MISUSE','OTHER']`;
export const INDICATORS = `ARRAY['MISSING_EPISODE','FOUND_OUT_OF_AREA','EDUCATION_DECLINE','UNEXPLAINED_MONEY_OR_GOODS',
  'MULTIPLE_PHONES','WEAPON','DRUGS_OR_PARAPHERNALIA','UNUSUAL_TRAVEL','OLDER_OR_CONTROLLING_ASSOCIATES',
  'PEER_ISOLATION','MOOD_OR_SELF_HARM','ONLINE_GROOMING']`;
export const SETTINGS = `ARRAY['SECONDARY_SCHOOL','PRIMARY_SCHOOL','SOCIAL_MEDIA','ONLINE_GAMING','STREET','HOME','CARE_HOME',
  'UNKNOWN']`;
/** Risk levels weighted towards the lower ones, as in practice. */
export const LEVELS = `ARRAY['LOW','LOW','LOW','LOW','MEDIUM','MEDIUM','MEDIUM','HIGH','HIGH','CRITICAL']`;

/** `arr[1 + hash(expr) % cardinality(arr)]`: a deterministic, evenly spread pick. */
export const pick = (array: string, expr: string) =>
  `(${array})[1 + (abs(hashtext(${expr}::text)) % cardinality(${array}))]`;

/** Fictional places: with the three suffixes, one distinct name for each of 153 local authorities. */
export const PLACES = `ARRAY['Ashworth','Bramley','Carlton','Denholme','Elmsford','Fenwick','Granby','Hartley','Ingleby',
  'Kenwood','Langford','Marston','Newbold','Oakham','Penrith','Radley','Selby','Thornbury','Upton','Wexcombe',
  'Yarwell','Alderley','Brampton','Castleford','Dunmore','Eastwick','Farleigh','Glenfield','Holbrook','Ilford',
  'Kingsley','Lydford','Millbrook','Northam','Otterby','Pickering','Redcliffe','Stanton','Tamworth','Ulverby',
  'Whitfield','Ashby','Barnwell','Chilcote','Dalby','Everton','Foxley','Greystoke','Hawkshead','Kelsall','Lowick']`;
export const PLACE_SUFFIXES = `ARRAY['', ' North', ' South']`;

export const STREETS = `ARRAY['High Street','Church Lane','Station Road','Mill Lane','Victoria Road','Park Avenue','Green Lane',
  'Manor Road','Queens Road','The Crescent','Orchard Close','Meadow Way']`;
