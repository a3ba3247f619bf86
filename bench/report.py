"""results.json as a Markdown table."""


def _s(summary: dict) -> str:
    if "median_s" not in summary:
        return f"failed: {summary.get('error', '?')}"
    return (f"{summary['median_s'] * 1000:,.0f} ms "
            f"({summary['min_s'] * 1000:,.0f}–{summary['max_s'] * 1000:,.0f})")


def markdown(document: dict) -> str:
    m = document["machine"]
    sizes = document["datasets"]
    lines = [
        f"Machine: {m['cpus']} × {m['cpu']}, {m['platform']}, Python {m['python']}; "
        f"load average at the end {m['load_average']}; {m['note']}.",
        "",
        f"Demo: {sizes['demo']['enterprises']:,} firms, "
        f"{sizes['demo']['monitoring_reports']:,} monitoring reports. Full: "
        f"{sizes['full']['enterprises']:,} firms, {sizes['full']['monitoring_reports']:,} "
        f"reports. {document['repeat']} alternating runs each"
        f"{' after a warm-up' if document['warmup'] else ''}; median (min–max). "
        f"Run took {document['seconds']:,.0f} s.",
        "",
        "| scenario | variants: median (min–max) | ratios | goal | met |",
        "|---|---|---|---|---|",
    ]
    for entry in document["scenarios"].values():
        variants = "<br>".join(f"{name}: {_s(s)}" for name, s in entry["variants"].items())
        ratios = "<br>".join(
            f"{label} = {value if value is not None else '—'}"
            for label, value in entry["ratios"].items()
        )
        met = {True: "yes", False: "**no**", None: "—"}[entry["met"]]
        lines.append(f"| {entry['title']} | {variants} | {ratios} | {entry['goal'] or ''} | "
                     f"{met} |")
    memory = [(k, e) for k, e in document["scenarios"].items() if e.get("memory")]
    if memory:
        lines += ["", "Peak memory, each variant once in a child process of its own (VmHWM, "
                  "its peak RSS; growth = peak − RSS before the work):", "",
                  "| scenario | variant | rows | seconds | peak MiB | growth MiB |",
                  "|---|---|---|---|---|---|"]
        for key, entry in memory:
            blocks = [(entry.get("rows"), entry["memory"])]
            for extra in ("memory_small", "memory_large"):
                if extra in entry:
                    block = dict(entry[extra])
                    blocks.append((block.pop("rows"), block))
            for rows, block in blocks:
                for variant, figures in block.items():
                    if "peak_mib" in figures:
                        lines.append(
                            f"| {key} | {variant} | {rows:,} | {figures['seconds']} | "
                            f"{figures['peak_mib']:,.0f} | {figures['growth_mib']:,.0f} |")
                    else:
                        lines.append(f"| {key} | {variant} | {rows} | failed: "
                                     f"{figures.get('error')} | | |")
    return "\n".join(lines) + "\n"
