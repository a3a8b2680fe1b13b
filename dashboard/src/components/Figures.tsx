import { display, type Cell } from '../cells';

export interface Figure {
  readonly label: string;
  readonly cell: Cell;
  readonly note?: string;
}

/** Headline figures as a description list: label, then value (「秘匿」 and 「権限なし」 as such). */
export function Figures({ title, figures }: { readonly title: string; readonly figures: readonly Figure[] }) {
  return (
    <section className="figures" aria-label={title}>
      <h3>{title}</h3>
      <dl>
        {figures.map((f) => (
          <div key={f.label} className={`figure ${f.cell.kind}`} data-figure={f.label}>
            <dt>{f.label}</dt>
            <dd>
              {display(f.cell)}
              {f.note && <small> {f.note}</small>}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
