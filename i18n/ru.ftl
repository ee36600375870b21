# Строки интерфейса dyad на русском языке (см. en.ftl: ключи, аргументы, правила).
#
# Числа выбирают форму по категориям CLDR: one (1, 21, 101), few (2–4, 22–24),
# many (0, 5–20, 25–30), other (дроби).

## Оформление страницы (base.html)

skip-link = Перейти к основному содержанию
nav-label = Разделы
search-box-label = Поиск по архиву
search-placeholder = Поиск
search-button = Найти
breadcrumb-label = Навигационная цепочка
language-switch-label = Язык
draft-banner-html = <strong>Черновик.</strong> Это предварительный просмотр неопубликованной работы: страница не входит в карту сайта и ленту и не индексируется.
feed-title = { $title } — новые аннотации
footer-feed = Лента Atom
footer-page-feed = Лента Atom этой страницы
footer-generator = Создано с помощью { $generator }

## Навигация, заголовки страниц, навигационная цепочка

nav-home = Главная
nav-periods = Периоды
nav-spheres = Сферы
nav-timeline = Хронология
nav-authors = Авторы
nav-actors = Акторы
nav-keywords = Ключевые слова
nav-search = Поиск
title-not-found = Страница не найдена
title-page = { $title } (страница { $page } из { $pages })
title-page-by-title = { $title } (страница { $page } из { $pages }, по названию)

## Работы в списках

author-unknown = автор неизвестен
date-unknown = б. г.
badge-draft = Черновик
summary-spheres = Сферы:
source-volume = т. { $volume }
source-issue = № { $issue }
source-pages = с. { $pages }
source-page-count = { $pages } с.

## Числа

count-abstracts = { $count ->
    [one] { $count } аннотация
    [few] { $count } аннотации
    [many] { $count } аннотаций
   *[other] { $count } аннотации
}
count-works = { $count ->
    [one] { $count } работа
    [few] { $count } работы
    [many] { $count } работ
   *[other] { $count } работы
}
noun-abstracts = { $count ->
    [one] аннотация
    [few] аннотации
    [many] аннотаций
   *[other] аннотации
}
noun-periods = { $count ->
    [one] период
    [few] периода
    [many] периодов
   *[other] периода
}
noun-spheres = { $count ->
    [one] сфера
    [few] сферы
    [many] сфер
   *[other] сферы
}
noun-authors = { $count ->
    [one] автор
    [few] автора
    [many] авторов
   *[other] автора
}

## Диаграммы и таблицы

glance-heading = Обзор
glance-per-year = Работы по годам публикации
glance-undated = Без даты: { $count }, на диаграмме не показаны.
glance-table = По годам в виде таблицы
table-year = Год
table-works = Работы
all-works = Все работы
chart-label-period = Работы этого периода по годам публикации, { $from }–{ $to }: не более { $max } в год ({ $peak })
chart-label-sphere = Работы этой сферы по годам публикации, { $from }–{ $to }: не более { $max } в год ({ $peak })
chart-bar = { $year }: { count-works }
timeline-cell = { $name }, { $year }: { count-works }
timeline-label-bars = Хронология: периоды показаны полосами, охват каждой работы — отрезком со ссылкой на неё
timeline-label-density = Хронология: сколько работ охватывает каждый год с { $from } по { $to }, всего и по сферам, на фоне периодов
timeline-label-compact = Хронология: сколько работ охватывает каждый год с { $from } по { $to }, на фоне периодов
timeline-no-coverage = Ни у одной работы пока не указан охват

## Списки работ

pager-label = Страницы списка
pager-order = Порядок:
pager-newest = сначала новые
pager-by-title = по названию
pager-range = { $first }–{ $last } из { $count }
pager-previous = ← Назад
pager-next = Вперёд →
pager-page = Страница { $page }
download-list = Скачать этот список
newest-of = { $shown } новейших из { $count }.
all-in = Все работы ({ $count }): { $title }
in-every-period = { $title } во всех периодах
in-every-sphere = { $title } во всех сферах
no-period = Вне периодов

## Главная страница

home-download = Скачать весь архив
home-download-title = Весь архив ({ $format })
matrix-heading = Периоды и сферы
matrix-note = Каждое число — это количество аннотаций одного периода в одной сфере и ссылка на них. Работа может относиться к нескольким периодам и сферам.
matrix-caption = Аннотации по периодам (строки) и сферам (столбцы)
matrix-period = Период
matrix-all-spheres = Все сферы
matrix-cell = { noun-abstracts }: { $period }, { $sphere }
matrix-none = нет: { $period }, { $sphere }
matrix-unassigned = { $count ->
    [one] { $count } аннотация не относится
    [few] { $count } аннотации не относятся
    [many] { $count } аннотаций не относятся
   *[other] { $count } аннотации не относятся
} ни к одному периоду; на странице каждой сферы они собраны в разделе «{ no-period }».
over-time-heading = Во времени
over-time-note = Сколько работ изучает каждый год, на фоне периодов.
over-time-link = Полная хронология
over-time-label = Краткая хронология
newest-heading = Новые
newest-empty = Аннотаций пока нет.

## Страница работы

kind-abstract = Аннотация
kind-article = Статья
kind-book = Книга
kind-chapter = Глава
kind-report = Доклад
kind-thesis = Диссертация
kind-other = Другое
work-coverage = Охват
work-periods = { $count ->
    [one] Период
   *[other] Периоды
}
work-spheres = { $count ->
    [one] Сфера
   *[other] Сферы
}
work-actors = { $count ->
    [one] Актор
   *[other] Акторы
}
work-keywords = Ключевые слова
work-source = Источник
work-doi = DOI
work-url = URL
work-language = Язык
# Название языка работы (по основному подтегу); для прочих кодов — самоназвание языка.
language-name = { $code ->
    [en] английский
    [ru] русский
    [kk] казахский
    [uk] украинский
    [be] белорусский
    [ky] киргизский
    [uz] узбекский
    [tg] таджикский
    [tk] туркменский
    [az] азербайджанский
    [hy] армянский
    [ka] грузинский
    [mn] монгольский
    [tt] татарский
    [zh] китайский
    [de] немецкий
    [fr] французский
    [es] испанский
    [it] итальянский
    [pl] польский
    [tr] турецкий
    [fa] персидский
    [ar] арабский
    [ja] японский
    [ko] корейский
   *[other] { $code }
}
work-abstract = Аннотация
cite-heading = Как цитировать
work-untranslated = Перевода пока нет: аннотация приводится на языке оригинала ({ $language }).
cite-locale-note = У стилей цитирования нет локали для этого языка: ссылки по ГОСТ оформлены на русском, по APA и Chicago — на английском.
cite-copy = Копировать
cite-copy-label = Копировать ссылку в стиле { $style }
cite-copied = Скопировано
cite-copy-failed = Выделите и скопируйте
cite-download = Скачать библиографическую запись
related-heading = Похожие работы

## Периоды и сферы

periods-lede = Архив делит историю отношений на периоды. Работа относится к каждому периоду, с которым её охват существенно пересекается, поэтому она может входить в несколько периодов.
periods-empty = Периоды пока не заданы.
period-kicker = Период
period-search = Искать в этом периоде
period-mix = Сферы в этом периоде
period-empty = К этому периоду пока не относится ни одна аннотация.
spheres-lede = Сферы — это области отношений, которым посвящена работа. Работа может затрагивать несколько сфер.
spheres-empty = Сферы пока не заданы.
sphere-kicker = Сфера
sphere-search = Искать в этой сфере
sphere-mix = Периоды в этой сфере
sphere-jump = Периоды в этой сфере
no-period-note = Эти работы не относятся ни к одному из периодов архива.
sphere-empty = К этой сфере пока не относится ни одна аннотация.

## Сфера в периоде

cross-kicker = Период × сфера
cross-heading-html = { $sphere } <span class="h1-joiner">—</span> { $period }
cross-title = { $sphere } — { $period }
cross-search = Искать среди этих работ
cross-empty = Здесь аннотаций нет.
cross-nav = Соседние пересечения
cross-other-periods = { $sphere } в других периодах
cross-previous = ← Предыдущий период
cross-next = Следующий период →
cross-other-spheres = Другие сферы: { $period }
cross-wider = Шире

## Авторы, акторы, ключевые слова

facets-authors = { $count ->
    [one] { $count } автор
    [few] { $count } автора
    [many] { $count } авторов
   *[other] { $count } автора
} и число аннотаций у каждого
facets-actors = { $count ->
    [one] { $count } актор
    [few] { $count } актора
    [many] { $count } акторов
   *[other] { $count } актора
} и число аннотаций у каждого
facets-keywords = { $count ->
    [one] { $count } ключевое слово
    [few] { $count } ключевых слова
    [many] { $count } ключевых слов
   *[other] { $count } ключевого слова
} и число аннотаций для каждого
facets-empty = Здесь пока ничего нет.
facet-empty = Аннотаций нет.

## Хронология

timeline-lede-bars = Период, который изучает каждая работа, на фоне периодов отношений: отрезок на работу, цвет — по её первой сфере; каждый отрезок ведёт к работе.
timeline-lede-density = Период, который изучает каждая работа, на фоне периодов отношений: для каждого года — сколько работ его изучает, всего и по сферам; чем темнее, тем больше.
timeline-meta = { $count ->
    [one] { $count } работа
    [few] { $count } работы
    [many] { $count } работ
   *[other] { $count } работы
} с указанным охватом, { $from }–{ $to }
timeline-missing = без охвата: { $count }, не показаны
timeline-drawing = Диаграмма
timeline-legend = Цвета первой сферы
timeline-drawing-label = Диаграмма хронологии
timeline-table = Работы по годам в виде таблицы
timeline-table-label = Работы по годам
timeline-table-caption = Работы, охват которых включает каждый год, всего и по сферам
timeline-empty = Показывать пока нечего: нет ни периодов, ни работ с указанным охватом.

## Поиск

search-heading = Поиск
search-lede = Названия, авторы, акторы, ключевые слова и тексты: { count-abstracts } на всех языках архива.
search-noscript-html = <strong>Для поиска нужен JavaScript</strong>, а в этом браузере он отключён или недоступен. Любую работу можно найти и без поиска: по <a href="{ $periods }">периодам</a>, по <a href="{ $spheres }">сферам</a>, по <a href="{ $timeline }">хронологии</a>, по <a href="{ $authors }">авторам</a>, <a href="{ $actors }">акторам</a> и <a href="{ $keywords }">ключевым словам</a>.
search-hint-html = Русские и английские слова находятся в любой форме (<i>трубопровод</i> находит <i>трубопроводов</i>), казахские — в написанной. Нажмите <kbd>/</kbd> в любом месте, чтобы вернуться к этому полю.
search-more = Показать ещё
search-filters = Фильтры
# The search page's script (static/search.js) says these in the browser.
search-empty = Искать пока нечего: в архиве ещё нет работ.
search-loading = Загрузка поискового индекса…
search-load-failed = Не удалось загрузить поисковый индекс: { $error }
search-failed = Ошибка поиска: { $error }
search-facet-sphere = Сфера
search-facet-period = Период
search-facet-year = Год
search-facet-language = Язык
search-facet-author = Автор
search-facet-actor = Актор
search-facet-keyword = Ключевое слово
search-filter = { $facet }: { $values }
search-or = { " или " }
search-status = { $found }.
search-status-query = { $found } по запросу «{ $query }».
search-status-filters = { $found }; { $filters }.
search-status-query-filters = { $found } по запросу «{ $query }»; { $filters }.
search-show-more = Показать ещё
search-show-fewer = Свернуть
search-show-all = Показать ещё (всего { $count })
search-show-top = Показать ещё (всего { $count }, показаны { $top } самых частых)

## Страница не найдена, перемещённые страницы

not-found-kicker = Ошибка 404
not-found-lede = По этому адресу страницы нет. Возможно, она перемещена или в ссылке опечатка.
not-found-home-html = <a href="{ $url }">Главная страница</a> с обзором периодов и сфер и новыми аннотациями
moved-title = Перемещено: { $url }
moved-text-html = Страница перемещена по адресу <a href="{ $href }">{ $url }</a>.
