site-name = egovwatch
site-tagline = Doğumdan ölümədək dövlət e-xidmətləri
skip-to-content = Məzmuna keç
nav-home = Həyat hadisələri
lang-switch = Dil
home-title = İnsan həyatı boyunca dövlət e-xidmətləri: doğumdan ölümədək
home-intro = Hər həyat hadisəsi insanın həmin anda ehtiyac duyduğu dövlət xidmətlərini, onları kimin göstərdiyini və nə dərəcədə onlayn alına bildiyini göstərir.
home-services-count = { $n ->
   *[other] { $count } xidmət
}
life-event-no-services = Bu həyat hadisəsi üçün hələ xidmət qeydə alınmayıb.
col-service = Xidmət
col-organisation = Səlahiyyətli qurum
col-status = Status
col-online = Bəyan edilmiş kanallar
col-code = Kod
online-yes = onlayn kanal
online-info = onlayn, əməliyyatsız
online-none = yalnız oflayn
status-draft = layihə
status-active = fəal
status-suspended = dayandırılıb
status-withdrawn = ləğv edilib
provenance = Mənbə
provenance-seed = əsas sənəd
provenance-illustrative = illüstrativ
provenance-manual = əl ilə daxil edilib
provenance-imported = idxal edilib
fallback-marker = tərcümə edilməyib; { $lang } dilində göstərilir
service-title = Xidmət
service-description = Təsvir
service-organisations = Səlahiyyətli qurumlar
service-life-events = Həyat hadisələri
service-channels = Kanallar
service-evidence = Tələb olunan sübutlar
service-evidence-supplied-by = Təqdim edə bilən
service-evidence-not-supplied = heç bir məlumat bazası təqdim edə bilmir
service-outputs = Nəticələr
service-history = Dəyişikliklərin tarixçəsi
service-history-more = { $n ->
   *[other] { $count } versiyadan sonuncu { $shown } göstərilir; hər versiya, qeyd saxlandığı kimi:
}
channel-type = Növ
channel-url = Ünvan
channel-offers = Onlayn imkanlar
offers-e-id = e-ID ilə giriş
offers-e-signature = elektron imza
offers-e-payment = elektron ödəniş
offers-electronic-output = elektron nəticə
offers-nothing = onlayn əməliyyat yoxdur
history-version = Versiya
history-when = Tarix
history-action = Dəyişiklik
history-author = Müəllif
history-reason = Səbəb
organisation-title = Qurum
organisation-type = Növ
organisation-parent = Tabedir
organisation-children = Struktur bölmələr
listed-more = { $count } qeyddən ilk { $shown } göstərilir; hamısı:
organisation-services = Səlahiyyətli olduğu xidmətlər
organisation-systems = Sahib olduğu informasiya sistemləri
system-base-registry = əsas reyestr
system-digitisation = Rəqəmsallaşma
none = yoxdur
not-found-title = Tapılmadı
not-found-body = { $code } kodlu { $what } yoxdur.
error-title = Xəta baş verdi
error-body = Səhifəni göstərmək mümkün olmadı. Xəta qeydə alınıb.
busy-title = Server məşğuldur
busy-body = Hazırda çoxlu təhlil və ya hesabat hazırlanır. Bir neçə saniyədən sonra yenidən cəhd edin.
too-large-title = Bir dəfəyə göstərmək üçün çox böyükdür
too-large-body = Cavab serverin bir dəfəyə göndərdiyi həcmi aşardı. Sorğunu daraldın (məsələn, daha az fərziyyə və ya başqa raund) və ya API-nin səhifələnmiş siyahılarından istifadə edin.
uri-too-long-title = Ünvan çox uzundur
uri-too-long-body = Sorğunun ünvanı serverin qəbul etdiyindən uzundur. Axtarış sözlərini və ya parametrləri qısaldın.
gaps-unlocks-more = { $count ->
   *[other] və daha { $count }
}
footer-text = egovwatch: dövlət e-xidmətlərinin açıq mənbəli monitorinqi. "İllüstrativ" qeyd olunan məlumatlar demonu tamamlayır və təsdiqlənmiş fakt deyil.
channel-online_portal = onlayn portal
channel-web_page = veb səhifə
channel-mobile_app = mobil tətbiq
channel-office = ofis
channel-phone = telefon
channel-post = poçt
orgtype-ministry = nazirlik
orgtype-state_agency = dövlət agentliyi
orgtype-state_committee = dövlət komitəsi
orgtype-department = şöbə
orgtype-state_service = dövlət xidməti
orgtype-fund = fond
orgtype-civil_society = vətəndaş cəmiyyəti təşkilatı
orgtype-international = beynəlxalq təşkilat
orgtype-other = digər
digitisation-born_digital = ilkin rəqəmsal
digitisation-mostly_digital = əsasən rəqəmsal
digitisation-partially_digitised = qismən rəqəmsallaşdırılıb
digitisation-paper_only = yalnız kağız
nav-main = Bölmələr
nav-gaps = İlk növbədə nəyi maliyyələşdirməli
gaps-title = İlk növbədə nəyi maliyyələşdirməli
gaps-intro = Xidmətlər niyə tam onlayn ola bilmir və məlumatlara, sistemlərə və mübadiləyə hansı investisiyalar onları ən çox irəli aparardı. Hər investisiyanı aşağıda fərz edib nəyi dəyişəcəyini görmək olar.
gaps-lead = Reyestrin məlumatları { $count } xidməti ən yüksək mərhələdən aşağıda saxlayır.
gaps-lead-first = İlk növbədə maliyyələşdirilməli: «{ $title }»: təkbaşına { $count } xidmətin irəliləməsinə imkan verir.
gaps-lead-none = Reyestrin məlumatları heç bir xidməti geri saxlamır.
gaps-lead-needed = Ən çox lazım olan investisiya: «{ $title }»; o, yalnız digərləri ilə birlikdə nəticə verir.
gaps-only-with = yalnız bunlarla birlikdə nəticə verir: { $investments }
gaps-col-delivers = Təkbaşına verdiyi mərhələlər
gaps-lead-not-built = { $count } xidmət ən yüksək mərhələdən aşağıdadır, lakin məlumatlarda onları saxlayan heç nə yoxdur: onlar o qədər qurulmayıb.
gaps-round = Mərhələlər bu raunddan
gaps-index-now = Milli indeks indi
gaps-index-projected = Hər xidmət məlumatların imkan verdiyi qədər qurulsaydı
gaps-index-assumed = Eyni, seçilmiş fərziyyələrlə
gaps-moved = Seçilmiş fərziyyələr { $count } xidməti irəlilədir (məlumatların onda imkan verdiyi qədər qurulsa, proqnozlaşdırılan mərhələsi):
gaps-moved-none = Seçilmiş fərziyyələr təkbaşına heç bir xidməti irəlilətmir: onların qaldırdığı məhdudiyyəti hələ başqa bir şey saxlayır (hər investisiyanın nə ilə birlikdə nəticə verdiyinə baxın).
gaps-choose-legend = Bunlar qurulsaydı nə olardı?
gaps-whatif-one = Bu qurulsaydı nə olardı?
gaps-ranking-help = Həyata keçirilsəydi nəyi dəyişəcəyini görmək üçün investisiyanı seçin (artıq fərz olunanlarla birlikdə).
gaps-choose-help = Həyata keçirilmiş sayılacaq investisiyaları seçin və yenidən hesablayın: indeks və xidmətlər onların birlikdə nəyi dəyişəcəyini göstərəcək.
gaps-choice-unlocks = { $count } xidmətə lazımdır
gaps-assume-label = Digər fərziyyələr (mütəxəssislər üçün)
gaps-assume-help = Hər sətirdə bir, məsələn dataset:LAND-CADASTRE=digitised və ya system:IS-HEALTH=in-use; hər investisiyanın fərziyyəsi API-də verilir.
gaps-assume-submit = Yenidən hesabla
gaps-investments = İnvestisiyalar, təkbaşına ən çox nəticə verəndən başlayaraq
gaps-json = Bu təhlil JSON formatında
gaps-col-rank = Yer
gaps-col-investment = İnvestisiya
gaps-col-unlocks = Kimə lazımdır
gaps-col-score = Lazım olduğu mərhələlər
gaps-blocked = Bloklanmış xidmətlər və səbəbləri
gaps-col-stage = İndiki mərhələ
gaps-col-ceiling = Çata bilər
gaps-col-reasons = Səbəblər
gaps-graph = Asılılıq xəritəsi
gaps-graph-desc = İnformasiya sistemləri verilənlər toplularını saxlayır, toplular sübutları təmin edir, xidmətlər sübut tələb edir. Qırıq qırmızı xətlər və qırmızı adlar zəncirin qırıldığı yeri göstərir.
gaps-graph-some = Xəritə { $count } bloklanmış xidmətdən { $drawn } xidməti göstərir: sıralamada ilk investisiyaların irəlilətdiyi xidmətləri. Yuxarıdakı bloklanmış xidmətlər cədvəlində hamısı var.
gaps-graph-table = Asılılıq xəritəsi cədvəl şəklində
gaps-graph-systems = İnformasiya sistemləri
gaps-graph-datasets = Toplular və nəticələr
gaps-graph-evidence = Sübutlar
gaps-graph-services = Bloklanmış xidmətlər
gaps-col-from = Haradan
gaps-col-relation = Əlaqə
gaps-col-to = Haraya
gaps-col-blocked = Qırılıb
gaps-rel-holds = saxlayır
gaps-rel-supplies = təmin edir
gaps-rel-required = tələb olunur
gaps-yes = bəli
gaps-no = xeyr
gaps-findings = Reyestrdə aşkar edilən problemlər
finding-evidence-unsupplied = { $evidence } sübutunu heç bir məlumat toplusu və heç bir xidmətin nəticə sənədi təmin etmir.
finding-link-withdrawn-system = { $link } məlumat mübadiləsi { $status ->
    [planned] planlaşdırılır
    [in_test] sınaqdadır
    [in_use] istifadədədir
   *[other] { $status }
}, lakin istifadədən çıxarılmış { $system } sisteminə bağlıdır.
finding-link-withdrawn-service = { $link } məlumat mübadiləsi ləğv edilmiş { $service } xidmətinə aparır.
finding-dataset-withdrawn-system = { $dataset } məlumat toplusu istifadədən çıxarılmış { $system } sistemində saxlanılır.
finding-cycle = { $count } xidmət bir-birinin nəticə sənədinə dairəvi şəkildə ehtiyac duyur: { $services }
finding-observed-above-data = Reyestrin məlumatlarının imkan verdiyindən daha yüksək mərhələdə müşahidə olunan xidmətlər ({ $count }): { $services }. Onların asılı olduğu qeydlər köhnəlmiş və ya blokaj qaydaları həddən artıq sərt ola bilər.
invest-digitise = Rəqəmsallaşdırma: { $subject } ({ $system })
invest-build = İstifadəyə vermək: { $subject }
invest-open-link = Planlaşdırılmış mübadiləni işə salmaq: { $source } → { $target }
invest-new-link = Məlumat mübadiləsi: { $subject } → { $organisation }
invest-supply = Baza reyestrindən məlumat kimi əlçatan etmək: { $subject }
invest-output = Nəticəni elektron qaydada vermək: { $subject }
gaps-life-events = { $count ->
   *[other] { $count } həyat hadisəsində
}
report-title = Elektron xidmətlər üzrə irəliləyiş hesabatı, { $round } raundu
report-monitor = Monitorinq təşkilatı: { $monitor }
report-period = Dövr: { $period } ({ $against } raundu ilə müqayisədə)
report-framework = Metodologiya: { $framework }
report-date = Tarix: { $date }
report-revision = Bu hesabat dərcdən sonra edilmiş düzəlişləri əhatə edir ({ $revision } saylı redaksiya).
report-summary = Əsas nəticələr
report-summary-index = Milli indeks { $now } təşkil edir (əvvəlki raund { $before }, dəyişiklik { $delta }).
report-summary-index-alone = Milli indeks { $now } təşkil edir.
report-summary-conclusion = Xidmətlərə lazım olan məlumatların mübadiləsi mümkün olmayana qədər onlar tam onlayn ola bilməz. İlk növbədə qurulmalı olanlar, təkbaşına ən çox nəticə verəndən başlayaraq: { $investments }.
report-services-per-stage = Mərhələlər üzrə xidmətlər
report-lists = İnkişaf etdirilməmiş, ilişib qalmış və əldə olunmuş
report-undeveloped = Onlayn inkişaf etdirilməmiş və ya mövcud olmayan xidmətlər (0-cı mərhələ)
report-information-only = Məlumatlandırma səviyyəsində qalmış xidmətlər (1-ci mərhələ)
report-accomplishments = Dövrün nailiyyətləri
report-regressions = Pisləşən xidmətlər
report-life-events = Doğumdan ölümədək həyat hadisələri
report-life-event-score = Həyat hadisəsinin göstəricisi { $now } (əvvəlki raund { $before }, dəyişiklik { $delta }).
report-life-event-score-alone = Həyat hadisəsinin göstəricisi { $now }.
report-systems = İnformasiya sistemləri və məlumatlar
report-registries = Tam rəqəmsallaşdırılmamış baza reyestrləri
report-registries-later = Bunlar reyestrin indiki qeydləridir: onların bəziləri { $end } tarixində bitən bu raundun dövründən sonrakı vəziyyəti təsvir edir.
report-missing-links = Çatışmayan mübadilə əlaqələri
report-investments = İlk növbədə nə qurulmalıdır
report-annex-methodology = Əlavə A. Metodologiya
report-annex-data = Əlavə B. Məlumatlar
report-annex-data-csv = Eyni cədvəl bu hesabatın yanında CSV formatında yazılıb.
report-annex-evidence = Əlavə C. Sübutlar
report-none = Yoxdur.
report-no-comparison = Müqayisə üçün əvvəlki monitorinq raundu yoxdur.
report-index = Milli indeks
report-services = Xidmətlər
report-improved = yaxşılaşıb
report-regressed = pisləşib
report-unchanged = dəyişməyib
report-new = yeni
report-withdrawn = ləğv edilib
report-chart-stages = Hər həyat hadisəsində mərhələlər üzrə xidmətlər
report-chart-stages-desc = Yığılmış sütunlar: hər həyat hadisəsi üçün xidmətlərinin neçəsinin hazırda hansı mərhələdə olduğu.
report-chart-index = Raundlar üzrə milli indeks
report-chart-index-desc = Xətt: bu metodologiya üzrə hər raundda milli indeks, ən köhnədən başlayaraq.
report-chart-movement = Yaxşılaşan və pisləşən xidmətlər
report-chart-movement-desc = Sütunlar: əvvəlki raunddan bəri neçə xidmətin yaxşılaşdığı, pisləşdiyi, dəyişmədiyi və ya yeni olduğu.
report-chart-data = Qrafikin məlumatları: { $chart }
report-col-service = Xidmət
report-col-stage = Mərhələ
report-col-stage-now = İndiki mərhələ
report-col-stage-before = Əvvəlki mərhələ
report-col-change = Dəyişiklik
report-col-now = İndi
report-col-before = Əvvəl
report-col-system = İnformasiya sistemi
report-col-owner = Sahibi
report-col-digitisation = Rəqəmsallaşdırma
report-col-as-of = Tarixə
report-col-rank = Yer
report-col-investment = İnvestisiya
report-col-unlocks = Kimə lazımdır
report-col-moves = Təkbaşına irəlilətdiyi xidmətlər
report-col-element = Element
report-col-definition = Tərif
report-col-organisation = Təşkilat
report-col-life-events = Həyat hadisələri
report-col-score-before = Əvvəlki göstərici
report-col-score-now = İndiki göstərici
report-col-question = Sual
report-col-answer = Cavab
report-col-evidence = Sübut
report-col-date = Tarix
report-col-assessor = Qiymətləndirən
report-contents = Mündəricat
report-period-alone = Dövr: { $period }
report-key-figures = Əsas göstəricilər
report-figure-change = { $against } raundu ilə müqayisədə dəyişiklik
report-figure-assessed = Qiymətləndirilmiş xidmətlər
report-figure-online = Tam onlayn (mərhələ { $stage } və yuxarı)
report-figure-stage = { $name } (mərhələ { $stage })
report-figure-improved = { $against } raundundan bəri yaxşılaşıb
report-figure-regressed = { $against } raundundan bəri pisləşib
report-answer-not-relevant = aid deyil
report-level-unit = { $unit ->
    [service] hər xidmət üçün
   *[other] hər qiymətləndirilən vahid üçün
}
report-level-group = hər həyat hadisəsi və təşkilat üçün
report-level-total = bütün ölkə üzrə
report-formula-weighted = Çəkili orta qiymət: { $parts }
report-formula-mean = Orta qiymət: { $inputs }
report-formula-rules = Qaydalar: { $rules }
report-formula-excluded = qiymətləndirilmir
report-formula-otherwise = əks halda → { $outcome }
report-formula-bands = Intervallar üzrə qiymət: { $input }
report-formula-ratio = Nisbət: { $numerator } / { $denominator }
report-formula-normalise = Ən aşağı və ən yüksək dəyər arasında miqyaslanmış qiymət (min–maks): { $input }
report-formula-rollup = { $unit ->
    [service] Xidmətlər üzrə orta qiymət: { $input }
   *[other] Qiymətləndirilən vahidlər üzrə orta qiymət: { $input }
}
report-formula-rollup-kinds = Çəkili orta qiymət ({ $input }): { $parts }
report-formula-kind = { $weight } × { $kind ->
    [transactional] əməliyyat
    [informational] məlumat
   *[other] { $kind }
} xidmətləri üzrə orta qiymət
nav-rounds = Monitorinq raundları
nav-search = Axtarış
home-index-change = { $round } ilə müqayisədə dəyişiklik { $delta }
home-index-source = { $round } monitorinq raunduna görə ({ $framework }).
home-round-link = Mərhələnin nəticələri
home-subjects = Reyestrdə bir neçə subyektin ({ $count }: ölkələr və ya digər yuxarı səviyyəli təşkilatlar) monitorinqi var; aşağıdakı nəticələr və indeks son raunddandır və yalnız onlardan birinə aiddir: { $subject }. Bütün raundlar:
legend-stages = Mərhələlər
life-event-title = Həyat hadisəsi
life-event-score = bal
life-event-services = Xidmətləri
life-event-rounds = Hər raundda balı
life-event-rounds-more = { $n ->
   *[other] Dərc olunmuş { $count } raunddan sonuncu { $shown } göstərilir; hamısı:
}
col-stage = Mərhələ
col-stage-or-score = Mərhələ və ya bal
col-round = Monitorinq raundu
col-period = Dövr
col-framework = Metodologiya
col-life-event = Həyat hadisəsi
download = Yüklə
search-title = Axtarış
search-title-for = Axtarış: { $query }
search-count = { $n ->
    [one] { $count } nəticə
   *[other] { $count } nəticə
}
search-label = Xidmətlər, qurumlar, sistemlər
search-placeholder = Axtarış
search-submit = Axtar
search-help = Azərbaycan, ingilis və ya rus dilində yazın; Azərbaycan hərfləri məcburi deyil (seher sözü şəhər tapır).
search-json = Bu nəticələr JSON formatında
kind-service = Xidmət
kind-organisation = Qurum
kind-information_system = İnformasiya sistemi
kind-dataset = Məlumat toplusu
kind-life_event = Həyat hadisəsi
rounds-title = Monitorinq raundları
rounds-intro = Hər raund hər xidmətin nə dərəcədə onlayn göstərildiyini qiymətləndirir; dərc edilmiş raundlar yekundur, düzəlişlər yeni versiya kimi qeyd olunur.
rounds-none = Hələ heç bir raund dərc edilməyib.
round-title = Monitorinq raundu
round-heading = { $round } monitorinq raundu
round-previous = Müqayisə edilən raund
round-reports = Tərəqqi hesabatı
round-report-html = HTML
round-report-md = Markdown
round-report-pdf = PDF
round-report-csv = məlumatlar (CSV)
round-by-life-event = Həyat hadisələri üzrə bal
round-by-organisation = Səlahiyyətli qurumlar üzrə bal
round-by-organisation-help = Hər xidmət bir dəfə, öz səlahiyyətli qurumu altında sayılır; qurumun səhifəsində onun iştirak etdiyi bütün xidmətlər göstərilir.
round-moved = Yaxşılaşan və ya pisləşən xidmətlər
round-all-services = Bu raunddakı bütün xidmətlər
system-title = İnformasiya sistemi
system-owner = Sahibi
system-lifecycle = Həyat dövrü
system-datasets = Saxladığı məlumat topluları
system-services = Onun məlumatlarına ehtiyacı olan xidmətlər
yes = bəli
no = xeyr
lifecycle-planned = planlaşdırılır
lifecycle-in_development = hazırlanır
lifecycle-in_use = istifadədədir
lifecycle-withdrawn = istifadədən çıxarılıb
dataset-title = Məlumat toplusu
dataset-system = Saxlandığı sistem
dataset-supplies = Təqdim edə bildiyi sənədlər
dataset-links = Məlumat mübadiləsi əlaqələri
dataset-link-purpose = Məqsəd
dataset-link-target = Ötürüldüyü yer
dataset-services = Ona ehtiyacı olan xidmətlər
link-planned = planlaşdırılır
link-in_test = sınaqdadır
link-in_use = istifadədədir
link-withdrawn = istifadədən çıxarılıb
service-rounds = Hər raundda vəziyyəti
service-not-assessed = Dərc edilmiş heç bir raundda qiymətləndirilməyib.
service-why = Niyə bu mərhələdədir
why-not-assessed = Cari raundda qiymətləndirilməyib.
why-fully-online = Tam onlayndır (“{ $stage }”): vətəndaşın oflayn etməli olduğu heç nə qalmayıb.
why-not-built = Reyestrin məlumatlarında onu saxlayan heç nə yoxdur: məlumatlar “{ $ceiling }” mərhələsinə imkan verir, lakin xidmət “{ $stage }” mərhələsindədir. Xidmətin özü hələ qurulmayıb.
why-not-built-beyond = Reyestrin məlumatlarında onun tam elektron olmasına mane olan heç nə yoxdur: məlumatlar “{ $ceiling }” mərhələsinə imkan verir, lakin xidmət “{ $stage }” mərhələsindədir. Xidmətin özü o qədər qurulmayıb. “{ $ceiling }” mərhələsindən irəli getmək üçün bunlar qurulmalıdır:
why-blocked = Məlumatlar ən çoxu “{ $ceiling }” mərhələsinə imkan verir, xidmət isə “{ $stage }” mərhələsindədir. “{ $ceiling }” mərhələsindən irəli getmək üçün əvvəlcə bunlar qurulmalıdır:
why-above-data = Xidmət “{ $stage }” mərhələsində müşahidə olunub, reyestrin məlumatlarının imkan verdiyi “{ $ceiling }” mərhələsindən yuxarı: reyestrin bu qeydləri köhnəlmiş və ya blokaj qaydaları həddən artıq sərt ola bilər:
service-answers = { $round } raundunda cavablar və sübutlar
service-json = Bu xidmət JSON formatında
service-chart = Mərhələlər üzrə vəziyyət
service-chart-score = Monitorinq raundları üzrə göstərici
service-chart-score-series = Göstərici
service-chart-desc = Xətt: xidmətin hər dərc edilmiş monitorinq raundundakı vəziyyəti (və ya balı), ən köhnədən başlayaraq.
life-event-all = Bu həyat hadisəsinin bütün { $count } xidməti
pager-nav = Səhifələr
pager-prev = Əvvəlki səhifə
pager-next = Növbəti səhifə
pager-label = Səhifə { $page } / { $pages }
report-annex-evidence-csv = Hər istinad dəstəklədiyi cavablarla birlikdə bir dəfə göstərilir; bütün cavablar bu hesabatın yanında yazılmış sübutlar CSV faylındadır.
report-rows-shown = Burada { $total } sətirdən ilk { $shown } göstərilir; hamısı bu hesabatla dərc olunan CSV fayllarında və API-dədir.
report-answers = { $count ->
    [one] { $count } cavab
   *[other] { $count } cavab
}
report-col-dataset = Məlumat toplusu
report-col-needed-by = Ehtiyacı olan qurum
report-col-blocks = Onu gözləyən xidmətlər
report-more-services = { $n ->
    [one] və daha { $count } xidmət
   *[other] və daha { $count } xidmət
}
kind-evidence_type = Sübut növü
kind-output = Nəticə sənədi
kind-channel = Kanal
kind-exchange_link = Məlumat mübadiləsi
conflict-edited = { $kind } { $code } başqa istifadəçi tərəfindən yadda saxlanılıb (indiki versiya { $stored }; sizin dəyişikliyiniz { $read } versiyası üzərində edilib).
conflict-changed = { $kind } { $code } bu arada başqa istifadəçi tərəfindən dəyişdirilib.
conflict-round-exists = { $round } monitorinq raundu artıq mövcuddur.
conflict-round-changed = { $round } monitorinq raundu bu arada başqa istifadəçi tərəfindən dəyişdirilib (bağlanıb, dərc edilib və ya düzəliş edilib).
conflict-busy = Digər dəyişikliklər verilənlər bazasını məşğul saxladı; { $attempts } cəhd uğursuz oldu.
conflict-next = Heç nə yazılmadı: cari məlumatları yenidən oxuyun və dəyişikliyi təkrarlayın.

# Browse pages
browse-nav = Baxış
browse-services = Bütün xidmətlər
browse-organisations = Qurumlar
browse-systems = İnformasiya sistemləri
browse-datasets = Məlumat topluları
browse-life-events = Həyat hadisələri
browse-all = hamısı
browse-count = { $total } qeyddən { $shown }
browse-more-values = və daha { $count } dəyər
browse-sort = Sıralama
browse-sort-name = ada görə
browse-sort-name-desc = ada görə, Z-dən A-ya
browse-sort-code = koda görə
browse-col-name = Ad
browse-api = Proqramlar üçün eyni qeydlər
browse-api-link = Proqramlar üçün məlumatlar (API)

# Findings of the current round, first on the home page
findings-title = Son monitorinq raundunun nəticələri
findings-round-title = Bu monitorinq raundunun nəticələri
findings-stuck = { $total } xidmətdən { $stuck } məlumat verməkdən o yana keçmir: { $none } xidmət ümumiyyətlə onlayn mövcud deyil, { $info } xidmət yalnız məlumat verir.
findings-online = { $count } xidmət tam elektron göstərilir: { $names }.
findings-none-online = Hələ heç bir xidmət tam elektron göstərilmir.
findings-improved = { $round } raundundan bəri { $count } xidmət irəliləyib: { $names }.
findings-regressed = { $count } xidmət geriləyib: { $names }.
findings-no-change = { $round } raundundan bəri heç bir xidmət nə irəliləyib, nə də geriləyib.
findings-registries = { $count } əsas reyestr hələ tam rəqəmsallaşdırılmayıb: { $names }.
findings-registries-hold = { $n ->
    [one] Bir xidmətə lazım olan məlumatlar yalnız orada saxlanılır və ona başqa yolla çatmır: o vaxta qədər o, tam elektron göstərilə bilməz.
   *[other] { $count } xidmətə lazım olan məlumatlar yalnız orada saxlanılır və onlara başqa yolla çatmır: o vaxta qədər onlar tam elektron göstərilə bilməz.
}
findings-registries-hold-none = Bu səbəbdən heç bir xidmət geri qalmır: xidmətlərin oradan ehtiyac duyduğu məlumatlar onlara başqa yolla da çatır.
findings-first = İlk növbədə qurulmalı: «{ $title }». Təkbaşına { $count } xidmətin irəliləməsinə imkan verər.
findings-first-needed = İlk növbədə qurulmalı: «{ $title }». { $count } xidmətin irəliləməsi üçün bu, digərləri ilə birlikdə lazımdır.
findings-more = və daha { $count }
findings-stuck-list = Məlumat verməkdən o yana keçməyən xidmətlər
findings-stuck-first = Burada ilk { $shown } xidmət adlanır; hamısı, mərhələyə görə:

# Revision actions on a record's history
history-create = yaradılıb
history-update = yenilənib
history-withdraw = istifadədən çıxarılıb

# Reasons the software records in a revision when the user gives none.
reason-import-registry = reyestr faylının idxalı: { $file }
reason-import-eu = e-Hökumət Benchmark cədvəlinin idxalı: { $file }
reason-synth = sintetik məlumat, toxum { $seed }
reason-demo = nümayiş: mənbə hekayəsi (Şəffaflıq Azərbaycan, 29 iyun 2015-ci il tarixli irəliləyiş hesabatı)
