import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ConsoleConfig } from './api';
import type { Session } from './session';

/** What every view reads of the application: the session, the config, sign-in and sign-out. */
export interface AppContext {
  session: Session | null;
  config: ConsoleConfig | null;
  signIn(session: Session): void;
  signOut(): void;
}

export const Ctx = createContext<AppContext>({ session: null, config: null, signIn() {}, signOut() {} });
export const useApp = () => useContext(Ctx);
