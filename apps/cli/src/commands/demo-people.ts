import { UserDirectory } from '@wangge/auth';
import type { Actor } from '@wangge/workflow';
import type { DataSource } from 'typeorm';

/** The demo logins a demo step writes as: each one's account, and the actor a service takes. */
export async function demoPeople(ds: DataSource, usernames: string[]) {
  const people = await new UserDirectory(ds).activeByUsername([...new Set(usernames)]);
  const person = (username: string) => {
    const p = people.get(username);
    if (!p) throw new Error(`demo login ${username} is missing`);
    return p;
  };
  const actorOf = (username: string): Actor => {
    const p = person(username);
    return { id: p.id, role: p.role, name: p.name, streetCode: null, chiefId: null, cellCodes: new Set() };
  };
  return { person, actorOf };
}
