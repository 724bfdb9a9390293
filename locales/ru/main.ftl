site-name = egovwatch
site-tagline = Государственные электронные услуги от рождения до смерти
skip-to-content = Перейти к содержанию
nav-home = Жизненные ситуации
lang-switch = Язык
home-title = Государственные электронные услуги на протяжении жизни: от рождения до смерти
home-intro = Для каждой жизненной ситуации указаны нужные человеку государственные услуги, кто их оказывает и насколько их можно получить онлайн.
home-services-count = { $n ->
    [one] { $count } услуга
    [few] { $count } услуги
   *[many] { $count } услуг
}
life-event-no-services = Для этой жизненной ситуации услуги пока не зарегистрированы.
col-service = Услуга
col-organisation = Компетентный орган
col-status = Статус
col-online = Заявленные каналы
col-code = Код
online-yes = онлайн-канал
online-info = онлайн, без операций
online-none = только офлайн
status-draft = черновик
status-active = действует
status-suspended = приостановлена
status-withdrawn = отменена
provenance = Источник
provenance-seed = исходный документ
provenance-illustrative = иллюстративно
provenance-manual = введено вручную
provenance-imported = импортировано
fallback-marker = нет перевода; показано на языке { $lang }
service-title = Услуга
service-description = Описание
service-organisations = Компетентные органы
service-life-events = Жизненные ситуации
service-channels = Каналы
service-evidence = Требуемые документы
service-evidence-supplied-by = Может предоставить
service-evidence-not-supplied = ни один набор данных не может предоставить
service-outputs = Результаты
service-history = История изменений
service-history-more = { $n ->
    [one] Показаны последние { $shown } из { $count } версии; все версии, с записью в сохранённом виде:
   *[other] Показаны последние { $shown } из { $count } версий; все версии, с записью в сохранённом виде:
}
channel-type = Тип
channel-url = Адрес
channel-offers = Онлайн-возможности
offers-e-id = вход через e-ID
offers-e-signature = электронная подпись
offers-e-payment = электронная оплата
offers-electronic-output = электронный результат
offers-nothing = без онлайн-операций
history-version = Версия
history-when = Когда
history-action = Изменение
history-author = Автор
history-reason = Причина
organisation-title = Организация
organisation-type = Тип
organisation-parent = Входит в
organisation-children = Подразделения
listed-more = Показаны первые { $shown } из { $count }; все:
organisation-services = Услуги в её компетенции
organisation-systems = Её информационные системы
system-base-registry = базовый реестр
system-digitisation = Оцифровка
none = нет
not-found-title = Не найдено
not-found-body = { $what } с кодом { $code } не существует.
error-title = Произошла ошибка
error-body = Страницу не удалось показать. Ошибка записана в журнал.
busy-title = Сервер занят
busy-body = Сейчас готовится слишком много анализов или отчётов. Попробуйте снова через несколько секунд.
too-large-title = Слишком много для одного ответа
too-large-body = Ответ превысил бы объём, который сервер отдаёт за один раз. Сузьте запрос (например, меньше допущений или другой раунд) или используйте постраничные списки API.
uri-too-long-title = Слишком длинный адрес
uri-too-long-body = Адрес запроса длиннее, чем принимает сервер. Сократите слова поиска или параметры.
gaps-unlocks-more = { $count ->
    [one] и ещё { $count }
    [few] и ещё { $count }
   *[many] и ещё { $count }
}
footer-text = egovwatch: открытый мониторинг государственных электронных услуг. Данные с пометкой «иллюстративно» дополняют демо и не являются установленным фактом.
channel-online_portal = онлайн-портал
channel-web_page = веб-страница
channel-mobile_app = мобильное приложение
channel-office = офис
channel-phone = телефон
channel-post = почта
orgtype-ministry = министерство
orgtype-state_agency = государственное агентство
orgtype-state_committee = государственный комитет
orgtype-department = отдел
orgtype-state_service = государственная служба
orgtype-fund = фонд
orgtype-civil_society = организация гражданского общества
orgtype-international = международная организация
orgtype-other = другое
digitisation-born_digital = изначально цифровые
digitisation-mostly_digital = в основном цифровые
digitisation-partially_digitised = частично оцифрованы
digitisation-paper_only = только на бумаге
nav-main = Разделы
nav-gaps = Что финансировать в первую очередь
gaps-title = Что финансировать в первую очередь
gaps-intro = Почему услуги не могут стать полностью электронными и какие вложения в данные, системы и обмен продвинут их дальше всего. Любое вложение можно допустить ниже и увидеть, что оно изменит.
gaps-lead = Данные реестра удерживают услуги ниже высшей стадии ({ $count }).
gaps-lead-first = Финансировать в первую очередь: { $title }. Само по себе это продвинет услуги ({ $count }).
gaps-lead-none = Данные реестра не сдерживают ни одной услуги.
gaps-lead-needed = Самое нужное вложение: { $title }. Оно даёт результат только вместе с другими.
gaps-only-with = даёт результат только вместе с: { $investments }
gaps-col-delivers = Стадий даёт само по себе
gaps-lead-not-built = Ниже высшей стадии, хотя в данных их ничто не сдерживает, находятся услуги ({ $count }): их не довели до неё.
gaps-round = Стадии из раунда
gaps-index-now = Национальный индекс сейчас
gaps-index-projected = Если бы каждую услугу довели до того, что позволяют данные
gaps-index-assumed = То же, с выбранными допущениями
gaps-moved = Выбранные допущения продвигают услуги ({ $count }; прогнозная стадия, если довести услугу до того, что тогда позволят данные):
gaps-moved-none = Сами по себе выбранные допущения не продвигают ни одной услуги: то, что они снимают, всё ещё сдерживает что-то другое (см., с чем даёт результат каждое вложение).
gaps-choose-legend = Что если бы это было построено?
gaps-whatif-one = Что если бы это было построено?
gaps-ranking-help = Выберите вложение, чтобы увидеть, что оно изменило бы, если бы было сделано, вместе с уже принятыми допущениями.
gaps-choose-help = Отметьте вложения, которые считать выполненными, и пересчитайте: индекс и услуги покажут, что они изменят вместе.
gaps-choice-unlocks = { $count ->
    [one] нужно { $count } услуге
   *[other] нужно услугам: { $count }
}
gaps-assume-label = Другие допущения (для специалистов)
gaps-assume-help = По одному в строке, например dataset:LAND-CADASTRE=digitised или system:IS-HEALTH=in-use; допущение каждого вложения есть в API.
gaps-assume-submit = Пересчитать
gaps-investments = Вложения, начиная с дающих больше всего сами по себе
gaps-json = Этот анализ в формате JSON
gaps-col-rank = Место
gaps-col-investment = Вложение
gaps-col-unlocks = Нужно услугам
gaps-col-score = Нужен для стадий
gaps-blocked = Заблокированные услуги и причины
gaps-col-stage = Стадия сейчас
gaps-col-ceiling = Может достичь
gaps-col-reasons = Причины
gaps-graph = Карта зависимостей
gaps-graph-desc = Информационные системы хранят наборы данных, наборы поставляют сведения, услуги требуют сведений. Красные пунктирные линии и красные подписи показывают, где цепочка разорвана.
gaps-graph-some = На карте { $drawn } из заблокированных услуг ({ $count }): те, что продвигают первые вложения рейтинга. Все они перечислены в таблице заблокированных услуг выше.
gaps-graph-table = Карта зависимостей в виде таблицы
gaps-graph-systems = Информационные системы
gaps-graph-datasets = Наборы данных и результаты
gaps-graph-evidence = Сведения
gaps-graph-services = Заблокированные услуги
gaps-col-from = Откуда
gaps-col-relation = Связь
gaps-col-to = Куда
gaps-col-blocked = Разорвано
gaps-rel-holds = хранит
gaps-rel-supplies = поставляет
gaps-rel-required = требуется для
gaps-yes = да
gaps-no = нет
gaps-findings = Проблемы, найденные в реестре
finding-evidence-unsupplied = Подтверждение { $evidence } не предоставляет ни один набор данных и ни один выходной документ услуги.
finding-link-withdrawn-system = Обмен данными { $link } { $status ->
    [planned] планируется
    [in_test] в тестировании
    [in_use] используется
   *[other] { $status }
}, но затрагивает выведенную из эксплуатации систему { $system }.
finding-link-withdrawn-service = Обмен данными { $link } ведёт к отменённой услуге { $service }.
finding-dataset-withdrawn-system = Набор данных { $dataset } хранится в выведенной из эксплуатации системе { $system }.
finding-cycle = Услуги ({ $count }) по кругу нуждаются в выходных документах друг друга: { $services }
finding-observed-above-data = Услуги, замеченные на более высокой стадии, чем позволяют данные реестра ({ $count }): { $services }. Записи реестра о том, на что они опираются, могут быть устаревшими, а правила блокировки — слишком строгими.
invest-digitise = Оцифровать «{ $subject }» ({ $system })
invest-build = Ввести в эксплуатацию: { $subject }
invest-open-link = Запустить запланированный обмен: «{ $source }» → «{ $target }»
invest-new-link = Подключить «{ $subject }» (получатель: { $organisation })
invest-supply = Сделать доступным в виде данных из базового реестра: { $subject }
invest-output = Выдавать результат услуги «{ $subject }» в электронном виде
gaps-life-events = { $count ->
    [one] в { $count } жизненной ситуации
    [few] в { $count } жизненных ситуациях
   *[many] в { $count } жизненных ситуациях
}
report-title = Отчёт о ходе развития электронных услуг, раунд { $round }
report-monitor = Мониторинговая организация: { $monitor }
report-period = Период: { $period } (в сравнении с раундом { $against })
report-framework = Методология: { $framework }
report-date = Дата: { $date }
report-revision = Отчёт включает исправления, внесённые после публикации (редакция { $revision }).
report-summary = Основные выводы
report-summary-index = Национальный индекс составляет { $now } (предыдущий раунд { $before }, изменение { $delta }).
report-summary-index-alone = Национальный индекс составляет { $now }.
report-summary-conclusion = Услуги не смогут стать полностью электронными, пока нужные им данные нельзя передавать. Что построить в первую очередь, начиная с того, что само по себе даёт больше всего: { $investments }.
report-services-per-stage = Услуги по стадиям
report-lists = Неразвитые, застрявшие и достигнутые
report-undeveloped = Услуги, не развитые или отсутствующие онлайн (стадия 0)
report-information-only = Услуги, застрявшие на уровне информирования (стадия 1)
report-accomplishments = Достижения периода
report-regressions = Услуги, которые ухудшились
report-life-events = Жизненные ситуации от рождения до смерти
report-life-event-score = Показатель жизненной ситуации { $now } (предыдущий раунд { $before }, изменение { $delta }).
report-life-event-score-alone = Показатель жизненной ситуации { $now }.
report-systems = Информационные системы и данные
report-registries = Базовые реестры, оцифрованные не полностью
report-registries-later = Это записи реестра в их нынешнем виде: некоторые описывают состояние после периода этого раунда, который закончился { $end }.
report-missing-links = Недостающие каналы обмена
report-investments = Что построить в первую очередь
report-annex-methodology = Приложение A. Методология
report-annex-data = Приложение B. Данные
report-annex-data-csv = Та же таблица записана в формате CSV рядом с этим отчётом.
report-annex-evidence = Приложение C. Подтверждения
report-none = Нет.
report-no-comparison = Нет предыдущего раунда для сравнения.
report-index = Национальный индекс
report-services = Услуги
report-improved = улучшилась
report-regressed = ухудшилась
report-unchanged = без изменений
report-new = новая
report-withdrawn = упразднена
report-chart-stages = Услуги по стадиям в каждой жизненной ситуации
report-chart-stages-desc = Столбцы с накоплением: сколько услуг каждой жизненной ситуации сейчас находится на каждой стадии.
report-chart-index = Национальный индекс по раундам
report-chart-index-desc = Линия: национальный индекс в каждом раунде по этой методологии, начиная с самого раннего.
report-chart-movement = Улучшившиеся и ухудшившиеся услуги
report-chart-movement-desc = Столбцы: сколько услуг улучшилось, ухудшилось, не изменилось или появилось со времени предыдущего раунда.
report-chart-data = Данные диаграммы: { $chart }
report-col-service = Услуга
report-col-stage = Стадия
report-col-stage-now = Стадия сейчас
report-col-stage-before = Стадия раньше
report-col-change = Изменение
report-col-now = Сейчас
report-col-before = Раньше
report-col-system = Информационная система
report-col-owner = Владелец
report-col-digitisation = Оцифровка
report-col-as-of = По состоянию на
report-col-rank = Место
report-col-investment = Вложение
report-col-unlocks = Нужно услугам
report-col-moves = Услуг продвигает само по себе
report-col-element = Элемент
report-col-definition = Определение
report-col-organisation = Организация
report-col-life-events = Жизненные ситуации
report-col-score-before = Показатель раньше
report-col-score-now = Показатель сейчас
report-col-question = Вопрос
report-col-answer = Ответ
report-col-evidence = Подтверждение
report-col-date = Дата
report-col-assessor = Оценщик
report-contents = Содержание
report-period-alone = Период: { $period }
report-key-figures = Ключевые показатели
report-figure-change = Изменение по сравнению с раундом { $against }
report-figure-assessed = Оценено услуг
report-figure-online = Полностью онлайн (стадия { $stage } и выше)
report-figure-stage = { $name } (стадия { $stage })
report-figure-improved = Улучшились с раунда { $against }
report-figure-regressed = Ухудшились с раунда { $against }
report-answer-not-relevant = неприменимо
report-level-unit = { $unit ->
    [service] для каждой услуги
   *[other] для каждой оцениваемой единицы
}
report-level-group = для каждой жизненной ситуации и организации
report-level-total = по стране в целом
report-formula-weighted = Взвешенное среднее: { $parts }
report-formula-mean = Среднее значение: { $inputs }
report-formula-rules = Правила: { $rules }
report-formula-excluded = не оценивается
report-formula-otherwise = иначе → { $outcome }
report-formula-bands = Оценка по интервалам: { $input }
report-formula-ratio = Отношение: { $numerator } / { $denominator }
report-formula-normalise = Значение, приведённое к шкале между наименьшим и наибольшим (мин.–макс.): { $input }
report-formula-rollup = { $unit ->
    [service] Среднее по услугам: { $input }
   *[other] Среднее по оцениваемым единицам: { $input }
}
report-formula-rollup-kinds = Взвешенное среднее ({ $input }): { $parts }
report-formula-kind = { $weight } × среднее по { $kind ->
    [transactional] транзакционным
    [informational] информационным
   *[other] «{ $kind }»
} услугам
nav-rounds = Раунды мониторинга
nav-search = Поиск
home-index-change = изменение { $delta } по сравнению с { $round }
home-index-source = По раунду мониторинга { $round } ({ $framework }).
home-round-link = Результаты раунда
home-subjects = В реестре мониторинг нескольких субъектов ({ $count }: страны или другие организации верхнего уровня); выводы и индекс ниже — из последнего раунда и касаются только одного из них: { $subject }. Все раунды:
legend-stages = Стадии
life-event-title = Жизненная ситуация
life-event-score = балл
life-event-services = Её услуги
life-event-rounds = Её балл в каждом раунде
life-event-rounds-more = { $n ->
    [one] Показаны последние { $shown } из { $count } опубликованного раунда; все:
   *[other] Показаны последние { $shown } из { $count } опубликованных раундов; все:
}
col-stage = Стадия
col-stage-or-score = Стадия или балл
col-round = Раунд
col-period = Период
col-framework = Методология
col-life-event = Жизненная ситуация
download = Скачать
search-title = Поиск
search-title-for = Поиск: { $query }
search-count = { $n ->
    [one] { $count } результат
    [few] { $count } результата
    [many] { $count } результатов
   *[other] { $count } результата
}
search-label = Услуги, организации, системы
search-placeholder = Поиск
search-submit = Найти
search-help = Пишите по-азербайджански, по-английски или по-русски; азербайджанские буквы не обязательны (seher находит şəhər).
search-json = Эти результаты в формате JSON
kind-service = Услуга
kind-organisation = Организация
kind-information_system = Информационная система
kind-dataset = Набор данных
kind-life_event = Жизненная ситуация
rounds-title = Раунды мониторинга
rounds-intro = Каждый раунд оценивает, насколько каждую услугу можно получить онлайн; опубликованные раунды окончательны, исправления вносятся как новые редакции.
rounds-none = Ни один раунд ещё не опубликован.
round-title = Раунд
round-heading = Раунд мониторинга { $round }
round-previous = В сравнении с
round-reports = Отчёт о прогрессе
round-report-html = HTML
round-report-md = Markdown
round-report-pdf = PDF
round-report-csv = данные (CSV)
round-by-life-event = Балл по жизненным ситуациям
round-by-organisation = Балл по компетентным органам
round-by-organisation-help = Каждая услуга учитывается один раз, у своего компетентного органа; на странице организации перечислены все услуги, в которых она участвует.
round-moved = Услуги, которые улучшились или ухудшились
round-all-services = Все услуги этого раунда
system-title = Информационная система
system-owner = Владелец
system-lifecycle = Жизненный цикл
system-datasets = Наборы данных в ней
system-services = Услуги, которым нужны её данные
yes = да
no = нет
lifecycle-planned = планируется
lifecycle-in_development = в разработке
lifecycle-in_use = используется
lifecycle-withdrawn = выведена из эксплуатации
dataset-title = Набор данных
dataset-system = Хранится в
dataset-supplies = Может предоставить
dataset-links = Связи обмена данными
dataset-link-purpose = Назначение
dataset-link-target = Передаёт в
dataset-services = Услуги, которым он нужен
link-planned = планируется
link-in_test = в тестировании
link-in_use = используется
link-withdrawn = выведена из эксплуатации
service-rounds = Стадия в каждом раунде
service-not-assessed = Не оценивалась ни в одном опубликованном раунде.
service-why = Почему услуга на этой стадии
why-not-assessed = В текущем раунде не оценивалась.
why-fully-online = Услуга полностью онлайн («{ $stage }»): гражданину ничего не нужно делать офлайн.
why-not-built = В данных реестра её ничто не сдерживает: данные позволяют «{ $ceiling }», но услуга на стадии «{ $stage }». Саму услугу ещё не построили.
why-not-built-beyond = В данных реестра ничто не мешает ей стать полностью электронной: данные позволяют «{ $ceiling }», но услуга на стадии «{ $stage }». Саму услугу ещё не довели до этого. Чтобы пойти дальше «{ $ceiling }», нужно построить:
why-blocked = Данные позволяют не более чем «{ $ceiling }», а услуга на стадии «{ $stage }». Чтобы пойти дальше «{ $ceiling }», сначала нужно построить:
why-above-data = Услуга замечена на стадии «{ $stage }», выше «{ $ceiling }», которую позволяют данные реестра: эти записи реестра могут быть устаревшими, а правила блокировки — слишком строгими:
service-answers = Ответы и доказательства в раунде { $round }
service-json = Эта услуга в формате JSON
service-chart = Стадия по раундам
service-chart-score = Показатель по раундам
service-chart-score-series = Показатель
service-chart-desc = Линия: стадия (или балл) услуги в каждом опубликованном раунде, начиная с самого раннего.
life-event-all = Все услуги этой жизненной ситуации ({ $count })
pager-nav = Страницы
pager-prev = Предыдущая страница
pager-next = Следующая страница
pager-label = Страница { $page } из { $pages }
report-annex-evidence-csv = Каждая ссылка указана один раз вместе с ответами, которые она подтверждает; все ответы по отдельности — в CSV-файле подтверждений рядом с отчётом.
report-rows-shown = Здесь показаны первые { $shown } из { $total } строк; все строки есть в CSV-файлах, опубликованных с этим отчётом, и в API.
report-answers = { $count ->
    [one] { $count } ответ
    [few] { $count } ответа
    [many] { $count } ответов
   *[other] { $count } ответа
}
report-col-dataset = Набор данных
report-col-needed-by = Нужен организации
report-col-blocks = Услуги, которые его ждут
report-more-services = { $n ->
    [one] и ещё { $count } услуга
    [few] и ещё { $count } услуги
    [many] и ещё { $count } услуг
   *[other] и ещё { $count } услуги
}
kind-evidence_type = Вид подтверждающего документа
kind-output = Выходной документ
kind-channel = Канал
kind-exchange_link = Обмен данными
conflict-edited = Запись «{ $kind } { $code }» сохранена другим пользователем (сейчас версия { $stored }; ваше изменение сделано на версии { $read }).
conflict-changed = Запись «{ $kind } { $code }» тем временем изменена другим пользователем.
conflict-round-exists = Раунд { $round } уже существует.
conflict-round-changed = Раунд { $round } тем временем изменён другим пользователем (закрыт, опубликован или исправлен).
conflict-busy = Другие изменения занимали базу данных; { $attempts } попыток не удались.
conflict-next = Ничего не записано: прочитайте текущие данные заново и повторите изменение.

# Browse pages
browse-nav = Обзор
browse-services = Все услуги
browse-organisations = Организации
browse-systems = Информационные системы
browse-datasets = Наборы данных
browse-life-events = Жизненные ситуации
browse-all = все
browse-count = { $shown } из { $total }
browse-more-values = { $n ->
    [one] и ещё { $count } значение
    [few] и ещё { $count } значения
   *[many] и ещё { $count } значений
}
browse-sort = Порядок
browse-sort-name = по названию
browse-sort-name-desc = по названию, от Я до А
browse-sort-code = по коду
browse-col-name = Название
browse-api = Те же записи для программ
browse-api-link = Данные для программ (API)

# Findings of the current round, first on the home page
findings-title = Что показал последний раунд
findings-round-title = Что показал этот раунд
findings-stuck = { $stuck } из { $total } услуг не идут дальше информации: { $none } вовсе недоступны онлайн, { $info } — только информация.
findings-online = Полностью онлайн (услуг: { $count }): { $names }.
findings-none-online = Полностью электронных услуг пока нет.
findings-improved = С раунда { $round } улучшились (услуг: { $count }): { $names }.
findings-regressed = Ухудшились (услуг: { $count }): { $names }.
findings-no-change = С раунда { $round } ни одна услуга не улучшилась и не ухудшилась.
findings-registries = Не полностью оцифрованы базовые реестры ({ $count }): { $names }.
findings-registries-hold = { $n ->
    [one] Одной услуге нужны данные, которые есть только там: до тех пор она не может быть полностью онлайн.
   *[other] Услуги, которым нужны данные, которые есть только там ({ $count }): до тех пор они не могут быть полностью онлайн.
}
findings-registries-hold-none = По этой причине ни одна услуга не сдерживается: нужные услугам данные оттуда поступают к ним и другим путём.
findings-first = Создать в первую очередь: { $title }. Само по себе это продвинет услуги ({ $count }).
findings-first-needed = Создать в первую очередь: { $title }. Вместе с другими вложениями это нужно, чтобы продвинулись услуги ({ $count }).
findings-more = и ещё { $count }
findings-stuck-list = Услуги, не идущие дальше информации
findings-stuck-first = Здесь названы первые { $shown }; все, по этапам:

# Revision actions on a record's history
history-create = создана
history-update = изменена
history-withdraw = выведена из использования

# Reasons the software records in a revision when the user gives none.
reason-import-registry = импорт файла реестра { $file }
reason-import-eu = импорт таблицы eGovernment Benchmark { $file }
reason-synth = синтетические данные, зерно { $seed }
reason-demo = демонстрация: исходная история (Transparency Azerbaijan, отчёт о прогрессе от 29 июня 2015 года)
