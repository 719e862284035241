// What a page renders from: the services (the API's own, no second path to the data), the
// signed-in user, and the user's clients as the services' reader (a user sees only those).
import type { ClientsReader } from '../../clients/organisation.ts';
import type { Html } from '../html.ts';
import type { ConsoleDeps } from '../index.ts';
import type { ConsoleUser } from '../user.ts';

export interface PageContext {
  deps: ConsoleDeps;
  user: ConsoleUser;
  /** For the forms this page renders. */
  csrfToken: string;
  reader: ClientsReader;
}

/** A rendered page: its title, the navigation entry it belongs to, its body, and its HTTP status. */
export interface PageResult {
  title: string;
  current: string;
  body: Html;
  status?: number;
  /** Files of src/console/assets/ (or uPlot's) the page loads besides the layout's. */
  assets?: string[];
}

export function pageContext(deps: ConsoleDeps, user: ConsoleUser, csrfToken: string): PageContext {
  return { deps, user, csrfToken, reader: { clientIds: user.clientIds } };
}
