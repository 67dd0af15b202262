/** The field panel's line icons (24 × 24, drawn in the text's colour). */
function Icon({ paths, size = 18 }: { paths: string[]; size?: number }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true" class="serat-icon">
      {paths.map((d) => (
        <path key={d} d={d} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
      ))}
    </svg>
  );
}

export const PinIcon = () => <Icon paths={['M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21z', 'M12 12.2a2.7 2.7 0 1 0 0-5.4 2.7 2.7 0 0 0 0 5.4z']} />;
export const CameraIcon = () => <Icon paths={['M4 8h3l2-3h6l2 3h3v11H4z', 'M12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z']} />;
/** A hard hat: the field worker's panel. */
export const FieldIcon = () => <Icon size={22} paths={['M2.5 17.5h19', 'M4.5 17.5v-2a7.5 7.5 0 0 1 15 0v2', 'M9.5 8.5V6h5v2.5', 'M12 6v4']} />;
