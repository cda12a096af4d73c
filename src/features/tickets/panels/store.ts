import type { Panel, PanelCategory } from './rules.ts';

/**
 * The guild actor's panels and their categories: one row each, the record
 * as JSON beside the columns it is found by. Synchronous SQLite, so a
 * decide-and-write never awaits and a press after a restart finds it all.
 */
export const PANELS_SCHEMA = `CREATE TABLE ticket_panel_categories (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL COLLATE NOCASE UNIQUE, data TEXT NOT NULL);
   CREATE TABLE ticket_panels (id INTEGER PRIMARY KEY AUTOINCREMENT, data TEXT NOT NULL);`;

type CategoryData = Omit<PanelCategory, 'id' | 'name'>;
type PanelData = Omit<Panel, 'id'>;

export class PanelStore {
  private readonly sql: SqlStorage;
  constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  categories(): PanelCategory[] {
    return this.sql
      .exec<{ id: number; name: string; data: string }>(`SELECT id, name, data FROM ticket_panel_categories ORDER BY name`)
      .toArray()
      .map((r) => ({ ...(JSON.parse(r.data) as CategoryData), id: r.id, name: r.name }));
  }

  category(id: number): PanelCategory | null {
    const r = this.sql.exec<{ id: number; name: string; data: string }>(`SELECT id, name, data FROM ticket_panel_categories WHERE id = ?`, id).toArray()[0];
    return r ? { ...(JSON.parse(r.data) as CategoryData), id: r.id, name: r.name } : null;
  }

  categoryByName(name: string): PanelCategory | null {
    const r = this.sql.exec<{ id: number }>(`SELECT id FROM ticket_panel_categories WHERE name = ?`, name.trim()).toArray()[0];
    return r ? this.category(r.id) : null;
  }

  /** Inserts (id 0) or replaces a category; returns its id. */
  saveCategory(c: PanelCategory): number {
    const { id, name, ...data } = c;
    if (id === 0) {
      return this.sql.exec<{ id: number }>(`INSERT INTO ticket_panel_categories (name, data) VALUES (?, ?) RETURNING id`, name, JSON.stringify(data)).one().id;
    }
    this.sql.exec(`UPDATE ticket_panel_categories SET name = ?, data = ? WHERE id = ?`, name, JSON.stringify(data), id);
    return id;
  }

  removeCategory(id: number): void {
    this.sql.exec(`DELETE FROM ticket_panel_categories WHERE id = ?`, id);
  }

  panels(): Panel[] {
    return this.sql
      .exec<{ id: number; data: string }>(`SELECT id, data FROM ticket_panels ORDER BY id`)
      .toArray()
      .map((r) => ({ ...(JSON.parse(r.data) as PanelData), id: r.id }));
  }

  panel(id: number): Panel | null {
    const r = this.sql.exec<{ id: number; data: string }>(`SELECT id, data FROM ticket_panels WHERE id = ?`, id).toArray()[0];
    return r ? { ...(JSON.parse(r.data) as PanelData), id: r.id } : null;
  }

  /** Inserts (id 0) or replaces a panel; returns its id. */
  savePanel(p: Panel): number {
    const { id, ...data } = p;
    if (id === 0) return this.sql.exec<{ id: number }>(`INSERT INTO ticket_panels (data) VALUES (?) RETURNING id`, JSON.stringify(data)).one().id;
    this.sql.exec(`UPDATE ticket_panels SET data = ? WHERE id = ?`, JSON.stringify(data), id);
    return id;
  }

  removePanel(id: number): void {
    this.sql.exec(`DELETE FROM ticket_panels WHERE id = ?`, id);
  }
}
