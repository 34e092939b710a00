/** The API key, entered once and kept for this browser tab's session (never in localStorage). */
const STORAGE_KEY = 'lockstep.apiKey';

export const loadKey = (): string | undefined => sessionStorage.getItem(STORAGE_KEY) ?? undefined;
export const saveKey = (key: string) => sessionStorage.setItem(STORAGE_KEY, key);
export const forgetKey = () => sessionStorage.removeItem(STORAGE_KEY);
