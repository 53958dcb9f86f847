import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { recordAudit } from '@wangge/audit';
import { generateOneTimePassword, hashOneTimePassword, personChangeRefusal, UserDirectory, type AuthUser } from '@wangge/auth';
import { DepartmentDirectory } from '@wangge/chiefs';
import type { Role } from '@wangge/domain';
import { GridDirectory } from '@wangge/geo';
import { PeopleError } from './people-error';
import { departmentProblems, draftProblems } from './person-checks';
import { actorOf, isUniqueViolation, jurisdictionOf } from './people-admin.service';
import { readPeopleCsv, type LineProblem } from './people-csv';

/** One account an import made, with its one-time password (in this answer only). */
export interface ImportedPerson {
  id: string;
  username: string;
  name: string;
  role: Role;
  streetCode: string | null;
  cells: string[];
  departmentCode: string | null;
  initialPassword: string;
}

/**
 * `POST /api/v1/admin/users/import`: the people CSV (`username,name,phone,role,street,cells[,department]`). Every
 * row is checked first, against the file, the database and the admin's jurisdiction; one bad row
 * refuses the whole file (422 `import_rejected`, each row's problems listed) and nothing is written.
 * Otherwise every account is created in one transaction with one `user.import` audit entry, and
 * the answer gives each its one-time password, once.
 */
@Injectable()
export class PeopleImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(UserDirectory) private readonly users: UserDirectory,
    @Inject(GridDirectory) private readonly grid: GridDirectory,
    @Inject(DepartmentDirectory) private readonly departments: DepartmentDirectory,
  ) {}

  async import(admin: AuthUser, csv: string): Promise<{ created: ImportedPerson[] }> {
    const j = jurisdictionOf(admin);
    const { lines, problems } = readPeopleCsv(csv);
    const streets = await this.grid.streets();
    const streetOf = new Map<string, string>();
    for (const s of streets) streetOf.set(s.code, s.code).set(s.name, s.code);
    const cellStreets = await this.grid.liveCells([...new Set(lines.flatMap((l) => l.cells))]);
    const taken = await this.users.takenUsernames(lines.map((l) => l.username));

    const planned: (Omit<ImportedPerson, 'id' | 'initialPassword'> & { phone: string | null })[] = [];
    for (const l of lines) {
      const mine: string[] = [];
      const streetCode = l.street === null ? null : (streetOf.get(l.street) ?? null);
      if (l.street !== null && streetCode === null) mine.push(`no street ${l.street} in this district (give its code or name)`);
      if (taken.has(l.username)) mine.push(`the username ${l.username} is taken`);
      const unknown = l.cells.filter((c) => !cellStreets.has(c));
      if (unknown.length) mine.push(`no live grid cell ${unknown.join(', ')}`);
      const draft = { role: l.role, streetCode, cells: l.cells };
      if (l.street === null || streetCode !== null) mine.push(...draftProblems(draft, true).map((p) => p.problem));
      // Named by the file's column: `department: no active department X`.
      mine.push(...(await departmentProblems(this.departments, this.db.manager, l.role, l.department)).map((p) => `department: ${p.problem}`));
      if (mine.length === 0) {
        const known = new Map(l.cells.map((c) => [c, cellStreets.get(c)!]));
        const refusal = personChangeRefusal(j, { role: l.role, streetCode, cellStreets: known });
        if (refusal) mine.push(refusal.reason);
        else {
          const outside = l.cells.filter((c) => known.get(c) !== streetCode);
          if (outside.length) mine.push(`cells ${outside.join(', ')} lie outside the street ${streetCode}`);
        }
      }
      if (mine.length) problems.push({ field: `line ${l.line} (${l.username})`, problem: mine.join('; ') });
      else planned.push({ username: l.username, name: l.name, phone: l.phone, role: l.role, streetCode, cells: l.cells, departmentCode: l.department });
    }
    if (problems.length > 0) throw rejected(problems);

    const passwords = planned.map(() => generateOneTimePassword());
    const hashes = await Promise.all(passwords.map((p) => hashOneTimePassword(p)));
    const created = await this.db.transaction(async (tx) => {
      const out: ImportedPerson[] = [];
      for (const [i, p] of planned.entries()) {
        const id = await this.users.create(tx, {
          username: p.username,
          name: p.name,
          phone: p.phone,
          role: p.role,
          streetCode: p.streetCode,
          departmentCode: p.departmentCode,
          passwordHash: hashes[i],
        });
        if (p.cells.length) await this.users.setCells(tx, id, p.cells);
        out.push({ id, username: p.username, name: p.name, role: p.role, streetCode: p.streetCode, cells: p.cells, departmentCode: p.departmentCode, initialPassword: passwords[i] });
      }
      await recordAudit(tx, {
        actor: actorOf(admin),
        action: 'user.import',
        entity: 'user',
        streetCode: j.streetCode,
        after: { count: out.length, users: out.map(({ initialPassword: _secret, ...u }) => u) },
      });
      return out;
    }).catch((err: unknown) => {
      // Taken by another admin between the checks and the writes: refused like any taken username.
      if (isUniqueViolation(err, 'app_user_username_key')) throw rejected([{ field: 'file', problem: 'a username in the file was taken meanwhile; send the file again to see which' }]);
      throw err;
    });
    return { created };
  }
}

function rejected(problems: LineProblem[]): PeopleError {
  return new PeopleError(
    'import_rejected',
    `the file was refused, nothing was written: ${problems.length} problem${problems.length > 1 ? 's' : ''} / 文件被拒绝，未写入任何数据`,
    { details: problems },
  );
}
