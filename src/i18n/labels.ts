/**
 * The words samizdat adds itself (navigation, page titles, notes, colophon), in the book's language:
 * the one translation table every target reads. `typeface` has a `{fonts}` slot for the faces used.
 */
export interface Labels {
  contents: string;
  landmarks: string;
  pageList: string;
  cover: string;
  titlePage: string;
  start: string;
  notes: string;
  colophon: string;
  backToText: string;
  published: string;
  typeface: string;
  /** The colophon's fact names (render/colophon.ts). */
  facts: { title: string; author: string; authors: string; publisher: string; date: string; identifier: string; rights: string; sources: string; builtWith: string };
}

const EN: Labels = {
  contents: 'Contents',
  landmarks: 'Landmarks',
  pageList: 'Pages of the print edition',
  cover: 'Cover',
  titlePage: 'Title page',
  start: 'Start of content',
  notes: 'Notes',
  colophon: 'Colophon',
  backToText: 'Back to text',
  published: 'Published by',
  typeface: 'Typeset in {fonts} (SIL Open Font License 1.1).',
  facts: { title: 'Title', author: 'Author', authors: 'Authors', publisher: 'Publisher', date: 'Edition date', identifier: 'Identifier', rights: 'Rights', sources: 'Sources', builtWith: 'Built with' },
};

const BY_LANG: Record<string, Labels> = {
  en: EN,
  de: {
    contents: 'Inhalt',
    landmarks: 'Orientierungspunkte',
    pageList: 'Seiten der Druckausgabe',
    cover: 'Umschlag',
    titlePage: 'Titelseite',
    start: 'Beginn des Textes',
    notes: 'Anmerkungen',
    colophon: 'Impressum',
    backToText: 'Zurück zum Text',
    published: 'Verlag:',
    typeface: 'Gesetzt in {fonts} (SIL Open Font License 1.1).',
    facts: { title: 'Titel', author: 'Autor', authors: 'Autoren', publisher: 'Verlag', date: 'Ausgabedatum', identifier: 'Kennung', rights: 'Rechte', sources: 'Quellen', builtWith: 'Erstellt mit' },
  },
  fr: {
    contents: 'Table des matières',
    landmarks: 'Repères',
    pageList: 'Pages de l’édition imprimée',
    cover: 'Couverture',
    titlePage: 'Page de titre',
    start: 'Début du texte',
    notes: 'Notes',
    colophon: 'Achevé d’imprimer',
    backToText: 'Retour au texte',
    published: 'Éditeur :',
    typeface: 'Composé en {fonts} (SIL Open Font License 1.1).',
    facts: { title: 'Titre', author: 'Auteur', authors: 'Auteurs', publisher: 'Éditeur', date: 'Date d’édition', identifier: 'Identifiant', rights: 'Droits', sources: 'Sources', builtWith: 'Produit avec' },
  },
  es: {
    contents: 'Índice',
    landmarks: 'Puntos de referencia',
    pageList: 'Páginas de la edición impresa',
    cover: 'Cubierta',
    titlePage: 'Portada',
    start: 'Comienzo del texto',
    notes: 'Notas',
    colophon: 'Colofón',
    backToText: 'Volver al texto',
    published: 'Editorial:',
    typeface: 'Compuesto en {fonts} (SIL Open Font License 1.1).',
    facts: { title: 'Título', author: 'Autor', authors: 'Autores', publisher: 'Editorial', date: 'Fecha de la edición', identifier: 'Identificador', rights: 'Derechos', sources: 'Fuentes', builtWith: 'Hecho con' },
  },
  it: {
    contents: 'Indice',
    landmarks: 'Punti di riferimento',
    pageList: 'Pagine dell’edizione a stampa',
    cover: 'Copertina',
    titlePage: 'Frontespizio',
    start: 'Inizio del testo',
    notes: 'Note',
    colophon: 'Colophon',
    backToText: 'Torna al testo',
    published: 'Editore:',
    typeface: 'Composto in {fonts} (SIL Open Font License 1.1).',
    facts: { title: 'Titolo', author: 'Autore', authors: 'Autori', publisher: 'Editore', date: 'Data dell’edizione', identifier: 'Identificativo', rights: 'Diritti', sources: 'Sorgenti', builtWith: 'Realizzato con' },
  },
  nl: {
    contents: 'Inhoud',
    landmarks: 'Oriëntatiepunten',
    pageList: 'Pagina’s van de gedrukte uitgave',
    cover: 'Omslag',
    titlePage: 'Titelpagina',
    start: 'Begin van de tekst',
    notes: 'Noten',
    colophon: 'Colofon',
    backToText: 'Terug naar de tekst',
    published: 'Uitgever:',
    typeface: 'Gezet in {fonts} (SIL Open Font License 1.1).',
    facts: { title: 'Titel', author: 'Auteur', authors: 'Auteurs', publisher: 'Uitgever', date: 'Datum van de uitgave', identifier: 'Identificatie', rights: 'Rechten', sources: 'Bronnen', builtWith: 'Gemaakt met' },
  },
  pl: {
    contents: 'Spis treści',
    landmarks: 'Punkty orientacyjne',
    pageList: 'Strony wydania drukowanego',
    cover: 'Okładka',
    titlePage: 'Strona tytułowa',
    start: 'Początek tekstu',
    notes: 'Przypisy',
    colophon: 'Metryka',
    backToText: 'Powrót do tekstu',
    published: 'Wydawca:',
    typeface: 'Złożono krojem {fonts} (SIL Open Font License 1.1).',
    facts: { title: 'Tytuł', author: 'Autor', authors: 'Autorzy', publisher: 'Wydawca', date: 'Data wydania', identifier: 'Identyfikator', rights: 'Prawa', sources: 'Źródła', builtWith: 'Zbudowano za pomocą' },
  },
  ru: {
    contents: 'Содержание',
    landmarks: 'Ориентиры',
    pageList: 'Страницы печатного издания',
    cover: 'Обложка',
    titlePage: 'Титульный лист',
    start: 'Начало текста',
    notes: 'Примечания',
    colophon: 'Выходные данные',
    backToText: 'Назад к тексту',
    published: 'Издатель:',
    typeface: 'Шрифт {fonts} (SIL Open Font License 1.1).',
    facts: { title: 'Название', author: 'Автор', authors: 'Авторы', publisher: 'Издатель', date: 'Дата издания', identifier: 'Идентификатор', rights: 'Права', sources: 'Исходные файлы', builtWith: 'Собрано с помощью' },
  },
  uk: {
    contents: 'Зміст',
    landmarks: 'Орієнтири',
    pageList: 'Сторінки друкованого видання',
    cover: 'Обкладинка',
    titlePage: 'Титульна сторінка',
    start: 'Початок тексту',
    notes: 'Примітки',
    colophon: 'Вихідні дані',
    backToText: 'Назад до тексту',
    published: 'Видавець:',
    typeface: 'Шрифт {fonts} (SIL Open Font License 1.1).',
    facts: { title: 'Назва', author: 'Автор', authors: 'Автори', publisher: 'Видавець', date: 'Дата видання', identifier: 'Ідентифікатор', rights: 'Права', sources: 'Вихідні файли', builtWith: 'Зібрано за допомогою' },
  },
  kk: {
    contents: 'Мазмұны',
    landmarks: 'Бағдарлар',
    pageList: 'Баспа басылымының беттері',
    cover: 'Мұқаба',
    titlePage: 'Титул беті',
    start: 'Мәтіннің басы',
    notes: 'Ескертпелер',
    colophon: 'Шығыс деректері',
    backToText: 'Мәтінге оралу',
    published: 'Баспа:',
    typeface: 'Қаріп: {fonts} (SIL Open Font License 1.1).',
    facts: { title: 'Атауы', author: 'Авторы', authors: 'Авторлары', publisher: 'Баспагер', date: 'Басылым күні', identifier: 'Идентификатор', rights: 'Құқықтар', sources: 'Дереккөздер', builtWith: 'Жасалған құралдар' },
  },
  ar: {
    contents: 'المحتويات',
    landmarks: 'معالم الكتاب',
    pageList: 'صفحات الطبعة الورقية',
    cover: 'الغلاف',
    titlePage: 'صفحة العنوان',
    start: 'بداية النص',
    notes: 'الحواشي',
    colophon: 'بيانات النشر',
    backToText: 'العودة إلى النص',
    published: 'الناشر:',
    typeface: 'جُمع بخط {fonts} (رخصة SIL Open Font License 1.1).',
    facts: { title: 'العنوان', author: 'المؤلف', authors: 'المؤلفون', publisher: 'الناشر', date: 'تاريخ الطبعة', identifier: 'المعرّف', rights: 'الحقوق', sources: 'المصادر', builtWith: 'أُنتج باستخدام' },
  },
  he: {
    contents: 'תוכן העניינים',
    landmarks: 'ציוני דרך',
    pageList: 'עמודי המהדורה המודפסת',
    cover: 'כריכה',
    titlePage: 'שער',
    start: 'תחילת הטקסט',
    notes: 'הערות',
    colophon: 'קולופון',
    backToText: 'חזרה לטקסט',
    published: 'הוצאה לאור:',
    typeface: 'סודר בגופן {fonts} (SIL Open Font License 1.1).',
    facts: { title: 'כותרת', author: 'מחבר', authors: 'מחברים', publisher: 'הוצאה לאור', date: 'תאריך המהדורה', identifier: 'מזהה', rights: 'זכויות', sources: 'מקורות', builtWith: 'נבנה באמצעות' },
  },
  zh: {
    contents: '目录',
    landmarks: '导航',
    pageList: '印刷版页码',
    cover: '封面',
    titlePage: '书名页',
    start: '正文开始',
    notes: '注释',
    colophon: '版权页',
    backToText: '返回正文',
    published: '出版者：',
    typeface: '字体：{fonts}（SIL Open Font License 1.1）。',
    facts: { title: '书名', author: '作者', authors: '作者', publisher: '出版者', date: '版本日期', identifier: '标识符', rights: '版权', sources: '源文件', builtWith: '制作工具' },
  },
  ja: {
    contents: '目次',
    landmarks: 'ランドマーク',
    pageList: '印刷版のページ',
    cover: '表紙',
    titlePage: '扉',
    start: '本文の始まり',
    notes: '注',
    colophon: '奥付',
    backToText: '本文に戻る',
    published: '発行者：',
    typeface: '書体：{fonts}（SIL Open Font License 1.1）',
    facts: { title: '書名', author: '著者', authors: '著者', publisher: '発行者', date: '発行日', identifier: '識別子', rights: '権利', sources: 'ソース', builtWith: '制作ツール' },
  },
};

/** Labels for a BCP 47 tag: its primary language, else English. */
export function labelsFor(lang: string): Labels {
  return BY_LANG[lang.split('-')[0]!.toLowerCase()] ?? EN;
}

/** The typeface line with the faces of the book filled in. */
export const typefaceLine = (labels: Labels, fonts: string[]): string => labels.typeface.replace('{fonts}', fonts.join(', '));
