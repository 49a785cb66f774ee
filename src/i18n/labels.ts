/** The words samizdat adds itself (navigation, page titles, notes, colophon), in the book's language: the one translation table every target reads. */
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
  /** The colophon's fact names. */
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
  typeface: 'Typeset in Source Serif 4 (SIL Open Font License 1.1).',
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
    typeface: 'Gesetzt in Source Serif 4 (SIL Open Font License 1.1).',
    facts: { title: 'Titel', author: 'Autor', authors: 'Autoren', publisher: 'Verlag', date: 'Ausgabedatum', identifier: 'Kennung', rights: 'Rechte', sources: 'Quellen', builtWith: 'Erstellt mit' },
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
    typeface: 'Шрифт Source Serif 4 (SIL Open Font License 1.1).',
    facts: { title: 'Название', author: 'Автор', authors: 'Авторы', publisher: 'Издатель', date: 'Дата издания', identifier: 'Идентификатор', rights: 'Права', sources: 'Исходные файлы', builtWith: 'Собрано с помощью' },
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
    typeface: 'Composé en Source Serif 4 (SIL Open Font License 1.1).',
    facts: { title: 'Titre', author: 'Auteur', authors: 'Auteurs', publisher: 'Éditeur', date: 'Date d’édition', identifier: 'Identifiant', rights: 'Droits', sources: 'Sources', builtWith: 'Produit avec' },
  },
};

/** Labels for a BCP 47 tag: its primary language, else English. */
export function labelsFor(lang: string): Labels {
  return BY_LANG[lang.split('-')[0]!.toLowerCase()] ?? EN;
}
