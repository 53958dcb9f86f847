import 'reflect-metadata';
import { runProcess } from '@wangge/operations';
import { createIntakeApp } from './intake.app';

runProcess('intake', (config) => createIntakeApp(config), (config) => config.ports.intake);
