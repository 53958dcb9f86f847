import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** The signed-in admin as `GET /api/v1/auth/me` answers: a street-level admin has a `streetCode`. */
export interface Me {
  id: string;
  username: string;
  name: string;
  role: string;
  streetCode: string | null;
}

export const AdminMe = createContext<Me | null>(null);

/** The admin the page is for (inside `/admin` only). */
export function useAdminMe(): Me {
  const me = useContext(AdminMe);
  if (!me) throw new Error('useAdminMe outside the admin page');
  return me;
}
