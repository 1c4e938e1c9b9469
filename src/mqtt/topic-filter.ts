/** MQTT topic filters (`+` one level, `#` the rest), as a broker applies them (MQTT 3.1.1 §4.7). */

export function isValidTopicFilter(filter: string): boolean {
  if (filter.length === 0) return false;
  const levels = filter.split('/');
  return levels.every((l, i) =>
    (l === '#' ? i === levels.length - 1 : true) && (l.includes('#') ? l === '#' : true) && (l.includes('+') ? l === '+' : true));
}

export function topicMatches(filter: string, topic: string): boolean {
  // Wildcards at the first level do not match $SYS-style topics.
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i]!;
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
