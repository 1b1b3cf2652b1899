// Vitest runs lib modules outside Next; the real `server-only` throws when imported outside a server bundle.
export {};
