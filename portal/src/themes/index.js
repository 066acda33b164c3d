// Thematic views by name (config.maps[].theme).
import * as advertising from './advertising.js';
import * as budget from './budget.js';
import * as energy from './energy.js';
import * as investment from './investment.js';

export const THEMES = { budget, energy, investment, advertising };
