# dyad интерфейсінің қазақ тіліндегі жолдары (кілттер, аргументтер, ережелер: en.ftl).
#
# Қазақ тілінде сан есімнен кейін зат есім жекеше түрде тұрады («5 еңбек»), сондықтан
# көптік пішін таңдау (CLDR: one, other) тек «Кезең / Кезеңдер» сияқты тақырыптарда керек.

## Бет безендіруі (base.html)

skip-link = Негізгі мазмұнға өту
nav-label = Бөлімдер
search-box-label = Мұрағаттан іздеу
search-placeholder = Іздеу
search-button = Іздеу
breadcrumb-label = Навигация жолы
language-switch-label = Тіл
draft-banner-html = <strong>Жоба.</strong> Бұл бет — жарияланбаған еңбектің алдын ала көрінісі: ол сайт картасына және таспаға енгізілмейді әрі индекстелмейді.
feed-title = { $title } — жаңа аңдатпалар
footer-feed = Atom таспасы
footer-page-feed = Осы беттің Atom таспасы
footer-generator = { $generator } арқылы жасалған

## Навигация, бет атаулары, навигация жолы

nav-home = Басты бет
nav-periods = Кезеңдер
nav-spheres = Салалар
nav-timeline = Хронология
nav-authors = Авторлар
nav-actors = Акторлар
nav-keywords = Түйін сөздер
nav-search = Іздеу
title-not-found = Бет табылмады
title-page = { $title } ({ $page }-бет, барлығы { $pages })
title-page-by-title = { $title } ({ $page }-бет, барлығы { $pages }, атауы бойынша)

## Тізімдегі еңбектер

author-unknown = авторы белгісіз
date-unknown = жылы көрсетілмеген
badge-draft = Жоба
summary-spheres = Салалар:
source-volume = т. { $volume }
source-issue = № { $issue }
source-pages = б. { $pages }
source-page-count = { $pages } б.

## Сандар

count-abstracts = { $count } аңдатпа
count-works = { $count } еңбек
noun-abstracts = аңдатпа
noun-periods = кезең
noun-spheres = сала
noun-authors = автор

## Диаграммалар мен кестелер

glance-heading = Қысқаша шолу
glance-per-year = Жарияланған жылы бойынша еңбектер
glance-undated = Жылы көрсетілмегені: { $count }, диаграммада жоқ.
glance-table = Жылдар бойынша кесте
table-year = Жыл
table-works = Еңбектер
all-works = Барлық еңбектер
chart-label-period = Осы кезеңнің еңбектері жарияланған жылы бойынша, { $from }–{ $to }: бір жылда ең көбі { $max } ({ $peak })
chart-label-sphere = Осы саланың еңбектері жарияланған жылы бойынша, { $from }–{ $to }: бір жылда ең көбі { $max } ({ $peak })
chart-bar = { $year }: { count-works }
timeline-cell = { $name }, { $year }: { count-works }
timeline-label-bars = Хронология: кезеңдер — жолақтар, әр еңбектің қамтитын уақыты — өзіне апаратын сызық
timeline-label-density = Хронология: { $from }–{ $to } жылдардың әрқайсысын қамтитын еңбектер саны, барлығы және салалар бойынша, кезеңдер аясында
timeline-label-compact = Хронология: { $from }–{ $to } жылдардың әрқайсысын қамтитын еңбектер саны, кезеңдер аясында
timeline-no-coverage = Қамту кезеңі көрсетілген еңбек әлі жоқ

## Еңбектер тізімі

pager-label = Тізім беттері
pager-order = Реті:
pager-newest = алдымен жаңалары
pager-by-title = атауы бойынша
pager-range = { $count } ішінен { $first }–{ $last }
pager-previous = ← Алдыңғы
pager-next = Келесі →
pager-page = { $page }-бет
download-list = Осы тізімді жүктеп алу
newest-of = { $count } еңбектің ішінен ең жаңа { $shown } еңбек.
all-in = { $title }: барлық { $count } еңбек
in-every-period = { $title }: барлық кезеңдерде
in-every-sphere = { $title }: барлық салаларда
no-period = Кезеңге жатпайтындар

## Басты бет

home-download = Бүкіл мұрағатты жүктеп алу
home-download-title = Бүкіл мұрағат ({ $format })
matrix-heading = Кезеңдер мен салалар
matrix-note = Әр сан бір кезеңнің бір саласындағы аңдатпалар санын көрсетеді және соларға апарады. Бір еңбек бірнеше кезеңге және салаға жатуы мүмкін.
matrix-caption = Аңдатпалар кезең (жолдар) және сала (бағандар) бойынша
matrix-period = Кезең
matrix-all-spheres = Барлық салалар
matrix-cell = { noun-abstracts }: { $period }, { $sphere }
matrix-none = жоқ: { $period }, { $sphere }
matrix-unassigned = { $count } аңдатпа ешбір кезеңге жатпайды; әр саланың бетінде олар «{ no-period }» бөлімінде берілген.
over-time-heading = Уақыт бойынша
over-time-note = Әр жылды қанша еңбек зерттейді — кезеңдер аясында.
over-time-link = Толық хронология
over-time-label = Қысқаша хронология
newest-heading = Жаңалары
newest-empty = Әзірге аңдатпа жарияланған жоқ.

## Еңбек беті

kind-abstract = Аңдатпа
kind-article = Мақала
kind-book = Кітап
kind-chapter = Кітап тарауы
kind-report = Баяндама
kind-thesis = Диссертация
kind-other = Басқа
work-coverage = Қамтитын кезеңі
work-periods = { $count ->
    [one] Кезең
   *[other] Кезеңдер
}
work-spheres = { $count ->
    [one] Сала
   *[other] Салалар
}
work-actors = { $count ->
    [one] Актор
   *[other] Акторлар
}
work-keywords = Түйін сөздер
work-source = Дереккөз
work-doi = DOI
work-url = URL
work-language = Тілі
# Жұмыс тілінің атауы (негізгі ішкі тег бойынша); басқа кодтар үшін тілдің өз атауы.
language-name = { $code ->
    [en] ағылшын тілі
    [ru] орыс тілі
    [kk] қазақ тілі
    [uk] украин тілі
    [be] беларусь тілі
    [ky] қырғыз тілі
    [uz] өзбек тілі
    [tg] тәжік тілі
    [tk] түрікмен тілі
    [az] әзірбайжан тілі
    [hy] армян тілі
    [ka] грузин тілі
    [mn] моңғол тілі
    [tt] татар тілі
    [zh] қытай тілі
    [de] неміс тілі
    [fr] француз тілі
    [es] испан тілі
    [it] итальян тілі
    [pl] поляк тілі
    [tr] түрік тілі
    [fa] парсы тілі
    [ar] араб тілі
    [ja] жапон тілі
    [ko] корей тілі
   *[other] { $code }
}
work-abstract = Аңдатпа
cite-heading = Сілтеме жасау
work-untranslated = Әзірге аударылмаған: аңдатпа түпнұсқа тілінде берілген ({ $language }).
cite-locale-note = Дәйексөз стильдерінде қазақ тіліне арналған локаль жоқ: МЕМСТ бойынша сілтемелер орыс тілінде, APA және Chicago бойынша ағылшын тілінде рәсімделген.
cite-copy = Көшіру
cite-copy-label = { $style } стиліндегі сілтемені көшіру
cite-copied = Көшірілді
cite-copy-failed = Белгілеп, көшіріңіз
cite-download = Библиографиялық жазбаны жүктеп алу
related-heading = Ұқсас еңбектер

## Кезеңдер мен салалар

periods-lede = Мұрағат қарым-қатынас тарихын кезеңдерге бөледі. Еңбек өзі қамтитын уақытпен айтарлықтай қиылысатын әр кезеңге жатады, сондықтан ол бірнеше кезеңде кездесуі мүмкін.
periods-empty = Кезеңдер әлі анықталмаған.
period-kicker = Кезең
period-search = Осы кезеңнен іздеу
period-mix = Осы кезеңдегі салалар
period-empty = Бұл кезеңге әзірге бірде-бір аңдатпа жатпайды.
spheres-lede = Салалар — еңбек арналған қарым-қатынас салалары. Бір еңбек бірнеше салаға қатысты болуы мүмкін.
spheres-empty = Салалар әлі анықталмаған.
sphere-kicker = Сала
sphere-search = Осы саладан іздеу
sphere-mix = Осы саланың кезеңдері
sphere-jump = Осы саладағы кезеңдер
no-period-note = Бұл еңбектер мұрағаттың ешбір кезеңіне жатпайды.
sphere-empty = Бұл салаға әзірге бірде-бір аңдатпа жатпайды.

## Кезеңдегі сала

cross-kicker = Кезең × сала
cross-heading-html = { $sphere } <span class="h1-joiner">—</span> { $period }
cross-title = { $sphere } — { $period }
cross-search = Осы еңбектерден іздеу
cross-empty = Мұнда аңдатпа жоқ.
cross-nav = Көршілес қиылыстар
cross-other-periods = { $sphere }: басқа кезеңдерде
cross-previous = ← Алдыңғы кезең
cross-next = Келесі кезең →
cross-other-spheres = { $period }: басқа салалар
cross-wider = Кеңірек

## Авторлар, акторлар, түйін сөздер

facets-authors = { $count } автор, әрқайсысының аңдатпалар саны
facets-actors = { $count } актор, әрқайсысының аңдатпалар саны
facets-keywords = { $count } түйін сөз, әрқайсысының аңдатпалар саны
facets-empty = Мұнда әзірге ештеңе жоқ.
facet-empty = Аңдатпа жоқ.

## Хронология

timeline-lede-bars = Әр еңбек зерттейтін уақыт аралығы, қарым-қатынас кезеңдері аясында: әр еңбекке бір сызық, түсі — оның бірінші саласы бойынша; әр сызық еңбекке апарады.
timeline-lede-density = Әр еңбек зерттейтін уақыт аралығы, қарым-қатынас кезеңдері аясында: әр жылды қанша еңбек зерттейтіні, барлығы және салалар бойынша; түсі неғұрлым қою болса, еңбек соғұрлым көп.
timeline-meta = Қамту кезеңі көрсетілген { $count } еңбек, { $from }–{ $to }
timeline-missing = қамту кезеңі жоқ { $count } еңбек көрсетілмеген
timeline-drawing = Диаграмма
timeline-legend = Бірінші саланың түстері
timeline-drawing-label = Хронология диаграммасы
timeline-table = Жылдар бойынша еңбектер кестесі
timeline-table-label = Жылдар бойынша еңбектер
timeline-table-caption = Қамту кезеңі әр жылды қамтитын еңбектер, барлығы және салалар бойынша
timeline-empty = Әзірге көрсететін ештеңе жоқ: кезең де, қамту кезеңі көрсетілген еңбек те жоқ.

## Іздеу

search-heading = Іздеу
search-lede = Мұрағаттың барлық тілдерінде: атаулар, авторлар, акторлар, түйін сөздер және { count-abstracts } мәтіні.
search-noscript-html = <strong>Іздеу үшін JavaScript қажет</strong>, бірақ бұл браузерде ол өшірулі немесе қолжетімсіз. Кез келген еңбекті шолу арқылы да табуға болады: <a href="{ $periods }">кезеңдер</a>, <a href="{ $spheres }">салалар</a>, <a href="{ $timeline }">хронология</a>, <a href="{ $authors }">авторлар</a>, <a href="{ $actors }">акторлар</a> және <a href="{ $keywords }">түйін сөздер</a> бойынша.
search-hint-html = Орыс және ағылшын сөздері кез келген тұлғада табылады (<i>трубопровод</i> сөзі <i>трубопроводов</i> тұлғасын да табады), қазақ сөздері жазылған күйінде ізделеді. Осы жолға қайта оралу үшін кез келген жерде <kbd>/</kbd> пернесін басыңыз.
search-more = Тағы көрсету
search-filters = Сүзгілер
# The search page's script (static/search.js) says these in the browser.
search-empty = Әзірге іздейтін ештеңе жоқ: мұрағатта әлі еңбек жоқ.
search-loading = Іздеу индексі жүктелуде…
search-load-failed = Іздеу индексін жүктеу мүмкін болмады: { $error }
search-failed = Іздеу сәтсіз аяқталды: { $error }
search-facet-sphere = Сала
search-facet-period = Кезең
search-facet-year = Жыл
search-facet-language = Тіл
search-facet-author = Автор
search-facet-actor = Актор
search-facet-keyword = Түйін сөз
search-filter = { $facet }: { $values }
search-or = { " немесе " }
search-status = { $found }.
search-status-query = «{ $query }» сұрауы бойынша { $found }.
search-status-filters = { $found }; { $filters }.
search-status-query-filters = «{ $query }» сұрауы бойынша { $found }; { $filters }.
search-show-more = Тағы көрсету
search-show-fewer = Жасыру
search-show-all = Тағы көрсету (барлығы { $count })
search-show-top = Тағы көрсету (барлығы { $count }, ең жиі кездесетін { $top } көрсетілген)

## Бет табылмады, көшірілген беттер

not-found-kicker = 404 қатесі
not-found-lede = Бұл мекенжайда бет жоқ. Ол басқа жерге көшірілген болуы мүмкін немесе сілтемеде қате бар.
not-found-home-html = <a href="{ $url }">Басты бет</a>: кезеңдер мен салалар шолуы және жаңа аңдатпалар
moved-title = Көшірілді: { $url }
moved-text-html = Бұл бет мына мекенжайға көшірілді: <a href="{ $href }">{ $url }</a>.
