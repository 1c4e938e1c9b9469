import { createContext, useContext } from 'react';
import { makeTheme, type Theme } from '../theme.ts';

export const ThemeContext = createContext<Theme>(makeTheme());

export const useTheme = (): Theme => useContext(ThemeContext);
