site-name = egovwatch
site-tagline = Public e-services from birth to death
skip-to-content = Skip to content
nav-home = Life events
lang-switch = Language
home-title = Public e-services across a life, from birth to death
home-intro = Each life event lists the public services a person needs at that point, who provides them and how far they can be done online.
home-services-count = { $n ->
    [one] { $count } service
   *[other] { $count } services
}
life-event-no-services = No services are registered for this life event yet.
col-service = Service
col-organisation = Competent organisation
col-status = Status
col-online = Channels declared
col-code = Code
online-yes = online channel
online-info = online, without transaction
online-none = offline only
status-draft = draft
status-active = active
status-suspended = suspended
status-withdrawn = withdrawn
provenance = Source
provenance-seed = seed document
provenance-illustrative = illustrative
provenance-manual = entered by hand
provenance-imported = imported
fallback-marker = not translated; shown in { $lang }
service-title = Service
service-description = Description
service-organisations = Competent organisations
service-life-events = Life events
service-channels = Channels
service-evidence = Evidence required
service-evidence-supplied-by = Can be supplied by
service-evidence-not-supplied = no dataset can supply it
service-outputs = Outputs
service-history = Revision history
service-history-more = The latest { $shown } of { $count } versions are listed; every version, with the record as it was saved:
channel-type = Type
channel-url = Address
channel-offers = Offers online
offers-e-id = e-ID login
offers-e-signature = e-signature
offers-e-payment = e-payment
offers-electronic-output = electronic output
offers-nothing = no online transaction
history-version = Version
history-when = When
history-action = Change
history-author = By
history-reason = Reason
organisation-title = Organisation
organisation-type = Type
organisation-parent = Part of
organisation-children = Units
listed-more = The first { $shown } of { $count } are listed; every one:
organisation-services = Services it is competent for
organisation-systems = Information systems it owns
system-base-registry = base registry
system-digitisation = Digitisation
none = none
not-found-title = Not found
not-found-body = There is no { $what } with the code { $code }.
error-title = Something went wrong
error-body = The page could not be shown. The error has been logged.
busy-title = The server is busy
busy-body = Too many analyses or reports are being prepared right now. Please try again in a few seconds.
too-large-title = Too much to show at once
too-large-body = The answer would exceed what the server sends in one response. Narrow the request (for example fewer what-if assumptions or another round) or use the paged lists of the API.
uri-too-long-title = The address is too long
uri-too-long-body = The address of the request is longer than the server accepts. Shorten the search words or parameters.
gaps-unlocks-more = { $count ->
    [one] and { $count } more
   *[other] and { $count } more
}
footer-text = egovwatch: open-source monitoring of public e-services. Data marked "illustrative" completes the demo and is not a stated fact.
channel-online_portal = online portal
channel-web_page = web page
channel-mobile_app = mobile app
channel-office = office
channel-phone = phone
channel-post = post
orgtype-ministry = ministry
orgtype-state_agency = state agency
orgtype-state_committee = state committee
orgtype-department = department
orgtype-state_service = state service
orgtype-fund = fund
orgtype-civil_society = civil society organisation
orgtype-international = international organisation
orgtype-other = other
digitisation-born_digital = born digital
digitisation-mostly_digital = mostly digital
digitisation-partially_digitised = partially digitised
digitisation-paper_only = paper only
nav-main = Sections
nav-gaps = What to fund first
gaps-title = What to fund first
gaps-intro = Why services cannot go fully online, and which investments in data, systems and exchanges would move them furthest. Each investment can be assumed below to see what it would change.
gaps-lead = { $n ->
    [one] The registry's data keep one service below the top stage.
   *[other] The registry's data keep { $count } services below the top stage.
}
gaps-lead-first = { $n ->
    [one] Fund first: { $title }: on its own it lets one service go further.
   *[other] Fund first: { $title }: on its own it lets { $count } services go further.
}
gaps-lead-none = No service is held back by the registry's data.
gaps-lead-needed = The most needed investment: { $title }; it delivers only together with others.
gaps-only-with = delivers only together with: { $investments }
gaps-col-delivers = Stages it delivers on its own
gaps-lead-not-built = { $n ->
    [one] One service is below the top stage with nothing in the data holding it back: it has not been built that far.
   *[other] { $count } services are below the top stage with nothing in the data holding them back: they have not been built that far.
}
gaps-round = Stages from round
gaps-index-now = National index now
gaps-index-projected = If every service were built as far as the data allow
gaps-index-assumed = The same, with the assumptions chosen
gaps-moved = { $n ->
    [one] The assumptions chosen move one service (its projected stage, built as far as the data then allow):
   *[other] The assumptions chosen move { $count } services (their projected stages, built as far as the data then allow):
}
gaps-moved-none = The assumptions chosen move no service on their own: what they lift is still held by something else (see what each investment goes with).
gaps-choose-legend = What if these were built?
gaps-whatif-one = What if this were built?
gaps-ranking-help = Choose an investment to see what it would change if it were built, beside anything already assumed.
gaps-choose-help = Tick the investments to assume done, then recompute: the index and the services show what they would change together.
gaps-choice-unlocks = { $count ->
    [one] needed by one service
   *[other] needed by { $count } services
}
gaps-assume-label = Other assumptions (for experts)
gaps-assume-help = One per line, for example dataset:LAND-CADASTRE=digitised or system:IS-HEALTH=in-use; the API gives each investment's assumption.
gaps-assume-submit = Recompute
gaps-investments = Investments, those delivering most on their own first
gaps-json = This analysis as JSON
gaps-col-rank = Rank
gaps-col-investment = Investment
gaps-col-unlocks = Needed by
gaps-col-score = Stages it is needed for
gaps-blocked = Blocked services and why
gaps-col-stage = Stage now
gaps-col-ceiling = Can reach
gaps-col-reasons = Reasons
gaps-graph = Dependency view
gaps-graph-desc = Information systems hold datasets, datasets supply evidence, services require evidence. Dashed red lines and red labels mark where the chain is broken.
gaps-graph-some = { $n ->
    [one] It draws { $drawn } of the one blocked service; the table of blocked services above lists it.
   *[other] It draws { $drawn } of the { $count } blocked services: those the first investments in the ranking move. The table of blocked services above lists them all.
}
gaps-graph-table = The dependency view as a table
gaps-graph-systems = Information systems
gaps-graph-datasets = Datasets and outputs
gaps-graph-evidence = Evidence
gaps-graph-services = Blocked services
gaps-col-from = From
gaps-col-relation = Relation
gaps-col-to = To
gaps-col-blocked = Broken
gaps-rel-holds = holds
gaps-rel-supplies = supplies
gaps-rel-required = is required by
gaps-yes = yes
gaps-no = no
gaps-findings = Problems found in the registry
finding-evidence-unsupplied = No dataset and no service's output supplies { $evidence }.
finding-link-withdrawn-system = The exchange link { $link } is { $status ->
    [planned] planned
    [in_test] in test
    [in_use] in use
   *[other] { $status }
} but touches the withdrawn system { $system }.
finding-link-withdrawn-service = The exchange link { $link } leads to the withdrawn service { $service }.
finding-dataset-withdrawn-system = The dataset { $dataset } is held in the withdrawn system { $system }.
finding-cycle = { $count } services need each other's output, in a circle: { $services }
finding-observed-above-data = Services observed at a higher stage than the registry's data allow ({ $count }): { $services }. The registry's records of what they rely on may be out of date, or the blocking rules too strict.
invest-digitise = Digitise { $subject } ({ $system })
invest-build = Bring { $subject } into use
invest-open-link = Put in use the planned exchange of { $source } with { $target }
invest-new-link = Connect { $subject } to { $organisation }
invest-supply = Make { $subject } available as data from a base registry
invest-output = Issue the output of { $subject } electronically
gaps-life-events = { $count ->
    [one] in { $count } life event
   *[other] in { $count } life events
}
report-title = Progress report on e-services, round { $round }
report-monitor = Monitoring organisation: { $monitor }
report-period = Period: { $period } (compared with round { $against })
report-framework = Framework: { $framework }
report-date = Date: { $date }
report-revision = This report includes corrections made after publication (revision { $revision }).
report-summary = Executive summary
report-summary-index = The national index is { $now } (previous round { $before }, change { $delta }).
report-summary-index-alone = The national index is { $now }.
report-summary-conclusion = Services cannot go fully online until the data they need can be exchanged. What to build first, the investment delivering most on its own first: { $investments }.
report-services-per-stage = Services per stage
report-lists = Undeveloped, stuck and accomplished
report-undeveloped = Services undeveloped or non-existent online (stage 0)
report-information-only = Services stuck at information provision (stage 1)
report-accomplishments = Accomplishments of the period
report-regressions = Services that regressed
report-life-events = Life events from birth to death
report-life-event-score = Life event score { $now } (previous round { $before }, change { $delta }).
report-life-event-score-alone = Life event score { $now }.
report-systems = Information systems and data
report-registries = Base registries not fully digitised
report-registries-later = These are the registry's records as they stand now: some describe a state after this round's period, which ended on { $end }.
report-missing-links = Missing exchange links
report-investments = What to build first
report-annex-methodology = Annex A. Methodology
report-annex-data = Annex B. Data
report-annex-data-csv = The same table is written as CSV next to this report.
report-annex-evidence = Annex C. Evidence
report-none = None.
report-no-comparison = There is no earlier round to compare with.
report-index = National index
report-services = Services
report-improved = improved
report-regressed = regressed
report-unchanged = unchanged
report-new = new
report-withdrawn = withdrawn
report-chart-stages = Services per stage in each life event
report-chart-stages-desc = Stacked bars: for each life event, how many of its services are at each stage now.
report-chart-index = National index over the rounds
report-chart-index-desc = Line: the national index in each round on this framework, oldest first.
report-chart-movement = Services improved and regressed
report-chart-movement-desc = Bars: how many services improved, regressed, stayed unchanged or are new since the previous round.
report-chart-data = Data of the chart: { $chart }
report-col-service = Service
report-col-stage = Stage
report-col-stage-now = Stage now
report-col-stage-before = Stage before
report-col-change = Change
report-col-now = Now
report-col-before = Before
report-col-system = Information system
report-col-owner = Owner
report-col-digitisation = Digitisation
report-col-as-of = As of
report-col-rank = Rank
report-col-investment = Investment
report-col-unlocks = Needed by
report-col-moves = Services it moves on its own
report-col-element = Element
report-col-definition = Definition
report-col-organisation = Organisation
report-col-life-events = Life events
report-col-score-before = Score before
report-col-score-now = Score now
report-col-question = Question
report-col-answer = Answer
report-col-evidence = Evidence
report-col-date = Date
report-col-assessor = Assessor
report-contents = Contents
report-period-alone = Period: { $period }
report-key-figures = Key figures
report-figure-change = Change since round { $against }
report-figure-assessed = Services assessed
report-figure-online = Fully online (stage { $stage } or above)
report-figure-stage = { $name } (stage { $stage })
report-figure-improved = Improved since round { $against }
report-figure-regressed = Regressed since round { $against }
report-answer-not-relevant = not relevant
report-level-unit = { $unit ->
    [service] for each service
   *[other] for each unit assessed
}
report-level-group = for each life event and organisation
report-level-total = for the whole country
report-formula-weighted = Weighted mean: { $parts }
report-formula-mean = Mean of: { $inputs }
report-formula-rules = Rules: { $rules }
report-formula-excluded = not scored
report-formula-otherwise = otherwise → { $outcome }
report-formula-bands = Score by bands of: { $input }
report-formula-ratio = Ratio: { $numerator } / { $denominator }
report-formula-normalise = Rescaled between the lowest and the highest value (min–max): { $input }
report-formula-rollup = { $unit ->
    [service] Mean over the services of: { $input }
   *[other] Mean over the units assessed of: { $input }
}
report-formula-rollup-kinds = Weighted mean of { $input }: { $parts }
report-formula-kind = { $weight } × mean over the { $kind ->
    [transactional] transactional
    [informational] informational
   *[other] { $kind }
} services
nav-rounds = Monitoring rounds
nav-search = Search
home-index-change = change { $delta } since { $round }
home-index-source = From monitoring round { $round } ({ $framework }).
home-round-link = The round's results
home-subjects = The registry holds the monitoring of several subjects ({ $count }: countries or other top-level organisations); the findings and the index below are from the latest round and concern one of them alone: { $subject }. Every round:
legend-stages = Stages
life-event-title = Life event
life-event-score = score
life-event-services = Its services
life-event-rounds = Its score in each round
life-event-rounds-more = The latest { $shown } of { $count } published rounds are listed; every one:
col-stage = Stage
col-stage-or-score = Stage or score
col-round = Round
col-period = Period
col-framework = Framework
col-life-event = Life event
download = Download
search-title = Search
search-title-for = Search: { $query }
search-count = { $n ->
    [one] { $count } result
   *[other] { $count } results
}
search-label = Services, organisations, systems
search-placeholder = Search
search-submit = Search
search-help = Type in Azerbaijani, English or Russian; Azerbaijani letters are optional (seher finds şəhər).
search-json = These results as JSON
kind-service = Service
kind-organisation = Organisation
kind-information_system = Information system
kind-dataset = Dataset
kind-life_event = Life event
rounds-title = Monitoring rounds
rounds-intro = Each round assesses how far every service can be done online; published rounds are final, corrections are revisions.
rounds-none = No round has been published yet.
round-title = Round
round-heading = Monitoring round { $round }
round-previous = Compared with
round-reports = Progress report
round-report-html = HTML
round-report-md = Markdown
round-report-pdf = PDF
round-report-csv = data (CSV)
round-by-life-event = Score by life event
round-by-organisation = Score by competent organisation
round-by-organisation-help = Each service is counted once, under its competent organisation; an organisation's page lists every service it takes part in.
round-moved = Services that improved or regressed
round-all-services = Every service in this round
system-title = Information system
system-owner = Owner
system-lifecycle = Lifecycle
system-datasets = Datasets it holds
system-services = Services that need its data
yes = yes
no = no
lifecycle-planned = planned
lifecycle-in_development = in development
lifecycle-in_use = in use
lifecycle-withdrawn = withdrawn
dataset-title = Dataset
dataset-system = Held in
dataset-supplies = Can supply
dataset-links = Exchange links
dataset-link-purpose = Purpose
dataset-link-target = Delivers to
dataset-services = Services that need it
link-planned = planned
link-in_test = in test
link-in_use = in use
link-withdrawn = withdrawn
service-rounds = Stage in each round
service-not-assessed = Not assessed in any published round.
service-why = Why it is at this stage
why-not-assessed = It was not assessed in the current round.
why-fully-online = It is fully online (“{ $stage }”): the citizen has nothing left to do offline.
why-not-built = Nothing in the registry's data holds it back: the data would allow “{ $ceiling }”, but it is at “{ $stage }”. The service itself has not been built.
why-not-built-beyond = Nothing in the registry's data keeps it from being fully online: the data would allow “{ $ceiling }”, but it is at “{ $stage }”. The service itself has not been built that far. To go beyond “{ $ceiling }”, these must be built:
why-blocked = The data allow at most “{ $ceiling }”, and it is at “{ $stage }”. To go beyond “{ $ceiling }”, these must be built first:
why-above-data = It was observed at “{ $stage }”, above the “{ $ceiling }” the registry's data allow: these records of the registry may be out of date, or the blocking rules too strict:
service-answers = Answers and evidence in round { $round }
service-json = This service as JSON
service-chart = Stage over the rounds
service-chart-score = Score over the rounds
service-chart-score-series = Score
service-chart-desc = Line: the service's stage (or score) in each published round, oldest first.
life-event-all = All { $count } services of this life event
pager-nav = Pages
pager-prev = Previous page
pager-next = Next page
pager-label = Page { $page } of { $pages }
report-annex-evidence-csv = Each reference is listed once with the answers it supports; every single answer is in the evidence CSV written next to this report.
report-rows-shown = The first { $shown } of { $total } rows are shown here; the CSV files published with this report and the API have every one.
report-answers = { $count ->
    [one] { $count } answer
   *[other] { $count } answers
}
report-col-dataset = Dataset
report-col-needed-by = Needed by
report-col-blocks = Services waiting for it
report-more-services = { $n ->
    [one] and { $count } more service
   *[other] and { $count } more services
}
kind-evidence_type = Evidence type
kind-output = Output document
kind-channel = Channel
kind-exchange_link = Data exchange
conflict-edited = { $kind } { $code } was saved by someone else (now version { $stored }; your change was made on version { $read }).
conflict-changed = { $kind } { $code } was changed by someone else meanwhile.
conflict-round-exists = Round { $round } already exists.
conflict-round-changed = Round { $round } was changed by someone else meanwhile (closed, published or corrected).
conflict-busy = Other changes kept the database busy; { $attempts } attempts did not get through.
conflict-next = Nothing was written: read the current data again and repeat the change.

# Browse pages
browse-nav = Browse
browse-services = All services
browse-organisations = Organisations
browse-systems = Information systems
browse-datasets = Datasets
browse-life-events = Life events
browse-all = all
browse-count = { $shown } of { $total }
browse-more-values = { $n ->
    [one] and { $count } more value
   *[other] and { $count } more values
}
browse-sort = Order
browse-sort-name = by name
browse-sort-name-desc = by name, Z to A
browse-sort-code = by code
browse-col-name = Name
browse-api = The same records for programs
browse-api-link = Data for programs (API)

# Findings of the current round, first on the home page
findings-title = What the latest round found
findings-round-title = What this round found
findings-stuck = { $stuck } of { $total } services go no further than information: { $none } not available online at all, { $info } information only.
findings-online = { $n ->
    [one] One service is fully online: { $names }.
   *[other] { $count } services are fully online: { $names }.
}
findings-none-online = No service is fully online yet.
findings-improved = { $n ->
    [one] Since round { $round }, one service improved: { $names }.
   *[other] Since round { $round }, { $count } services improved: { $names }.
}
findings-regressed = { $n ->
    [one] One service regressed: { $names }.
   *[other] { $count } services regressed: { $names }.
}
findings-no-change = Since round { $round }, no service improved or regressed.
findings-registries = { $n ->
    [one] One base registry is not yet fully digitised: { $names }.
   *[other] { $count } base registries are not yet fully digitised: { $names }.
}
findings-registries-hold = { $n ->
    [one] One service needs data held there and not available another way: it cannot be fully online until then.
   *[other] { $count } services need data held there and not available another way: they cannot be fully online until then.
}
findings-registries-hold-none = No service is held back on that account: the data services need from there also reach them another way.
findings-first = { $n ->
    [one] Build first: { $title }. On its own it would let one service go further.
   *[other] Build first: { $title }. On its own it would let { $count } services go further.
}
findings-first-needed = { $n ->
    [one] Build first: { $title }. One service needs it, with other investments, to go further.
   *[other] Build first: { $title }. { $count } services need it, with other investments, to go further.
}
findings-more = and { $count } more
findings-stuck-list = The services not yet online beyond information
findings-stuck-first = The first { $shown } are named here; every one, by stage:

# Revision actions on a record's history
history-create = created
history-update = updated
history-withdraw = withdrawn

# Reasons the software records in a revision when the user gives none.
reason-import-registry = import of the registry file { $file }
reason-import-eu = import of the eGovernment Benchmark workbook { $file }
reason-synth = synthetic data, seed { $seed }
reason-demo = demo: the seed story (Transparency Azerbaijan, progress report of 29 June 2015)
